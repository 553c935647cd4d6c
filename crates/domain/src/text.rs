//! The one policy for text that reaches the database: request fields, path ids, query
//! filters, cursors and the identifiers a token carries.
//!
//! It is not a rule of the regulation but the condition every stored text meets, on SQLite and
//! PostgreSQL alike, so that what a reader sees (on the public notice above all, Art. 4.5) is
//! what was typed, and no value fails in the database instead of at the door:
//!
//! * **No control characters.** NUL (which PostgreSQL cannot store in text), the other C0 and
//!   C1 controls and the Unicode noncharacters are refused everywhere; free text
//!   ([`TextKind::Long`]) keeps newline and tab (CR LF, CR, U+2028 and U+2029 become a
//!   newline), one-line text ([`TextKind::Line`]) keeps neither.
//! * **NFC.** Text is stored in Unicode Normalization Form C, so that the same name typed on
//!   two keyboards is the same string (and counts the same length).
//! * **Not blank to a reader.** Leading and trailing white space and invisible characters
//!   (zero-width spaces and joiners, U+FEFF, the ideographic space U+3000, bidirectional
//!   controls, other format characters, fillers) are trimmed; what remains must contain at
//!   least one visible character.
//! * **Bounded.** At most a given number of characters (after normalisation), never more than
//!   the column it is stored in.
//!
//! Identifiers (object ids, organisation codes, token subjects) are checked, never rewritten:
//! no control, white-space-only, invisible or format character at all, and a bounded length.

use std::fmt;

use unicode_normalization::UnicodeNormalization;

/// The longest free text any field accepts, in characters (meeting minutes, opinions).
pub const MAX_LONG_TEXT: usize = 50_000;

/// What kind of text a field holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextKind {
    /// One line: a name, a title, a reference, a contact. No line break, no tab.
    Line,
    /// Free text: notes, findings, letters, minutes. Newlines and tabs are kept.
    Long,
}

/// Why a text was refused. The messages complete a sentence that starts with the field name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TextError {
    /// Nothing visible remains once white space and invisible characters are removed.
    Blank,
    /// Longer than allowed, in characters after normalisation.
    TooLong { max: usize },
    /// A control character, a noncharacter, or (in one-line text) a line break or tab.
    Forbidden(char),
    /// An identifier holding white space or an invisible character.
    NotAnIdentifier(char),
}

impl fmt::Display for TextError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TextError::Blank => f.write_str("must not be blank"),
            TextError::TooLong { max } => write!(f, "must be at most {max} characters"),
            TextError::Forbidden(c) if is_line_break(*c) || *c == '\t' => write!(
                f,
                "must be one line (holds the control character U+{:04X})",
                u32::from(*c)
            ),
            TextError::Forbidden(c) => write!(
                f,
                "must not contain the control character U+{:04X}",
                u32::from(*c)
            ),
            TextError::NotAnIdentifier(c) => write!(
                f,
                "is an identifier and must not contain the white-space or invisible character U+{:04X}",
                u32::from(*c)
            ),
        }
    }
}

impl std::error::Error for TextError {}

/// A Unicode noncharacter (U+FDD0–U+FDEF and the last two code points of every plane).
fn is_noncharacter(c: char) -> bool {
    let n = u32::from(c);
    (0xFDD0..=0xFDEF).contains(&n) || n & 0xFFFE == 0xFFFE
}

fn is_line_break(c: char) -> bool {
    matches!(c, '\n' | '\r' | '\u{2028}' | '\u{2029}')
}

/// Whether `c` may never appear in stored text of `kind`: NUL and every other control
/// character and noncharacter, except newline and tab (and CR, U+2028, U+2029, which become
/// newlines) in free text.
pub fn is_forbidden(c: char, kind: TextKind) -> bool {
    match kind {
        TextKind::Long if c == '\t' || is_line_break(c) => false,
        _ => c.is_control() || is_noncharacter(c) || is_line_break(c),
    }
}

/// Whether `c` shows nothing to a reader: white space, and the invisible format characters,
/// fillers and selectors (Unicode's default-ignorable code points, and U+2800, the blank
/// Braille pattern).
pub fn is_invisible(c: char) -> bool {
    if c.is_whitespace() {
        return true;
    }
    matches!(
        u32::from(c),
        0x00AD                      // soft hyphen
        | 0x034F                    // combining grapheme joiner
        | 0x061C                    // Arabic letter mark
        | 0x115F..=0x1160           // Hangul choseong / jungseong fillers
        | 0x17B4..=0x17B5           // Khmer inherent vowels
        | 0x180B..=0x180F           // Mongolian variation selectors, vowel separator
        | 0x200B..=0x200F           // zero-width space, (non-)joiner, LRM, RLM
        | 0x202A..=0x202E           // bidirectional embeddings and overrides
        | 0x2060..=0x206F           // word joiner, invisible operators, isolates
        | 0x2800                    // Braille pattern blank
        | 0x3164                    // Hangul filler
        | 0xFE00..=0xFE0F           // variation selectors
        | 0xFEFF                    // zero-width no-break space (BOM)
        | 0xFFA0                    // halfwidth Hangul filler
        | 0xFFF0..=0xFFFB           // specials: unassigned, interlinear annotation
        | 0x1BCA0..=0x1BCA3         // shorthand format controls
        | 0x1D173..=0x1D17A         // musical format controls
        | 0xE0000..=0xE0FFF // tags, variation selectors supplement
    )
}

/// The first character of `value` that may not appear in text of `kind`, if any.
pub fn first_forbidden(value: &str, kind: TextKind) -> Option<char> {
    value.chars().find(|c| is_forbidden(*c, kind))
}

/// Whether nothing visible is in `value`.
pub fn is_blank(value: &str) -> bool {
    value.chars().all(is_invisible)
}

/// Brings a text into its stored form, or says why it cannot be stored: refuses forbidden
/// characters, normalises to NFC (and line breaks to `\n` in free text), trims white space and
/// invisible characters at both ends, refuses what is blank, and refuses more than
/// `max_chars` characters.
pub fn clean(value: &str, kind: TextKind, max_chars: usize) -> Result<String, TextError> {
    if let Some(c) = first_forbidden(value, kind) {
        return Err(TextError::Forbidden(c));
    }
    let mut text: String = value.nfc().collect();
    if kind == TextKind::Long {
        text = text
            .replace("\r\n", "\n")
            .replace(['\r', '\u{2028}', '\u{2029}'], "\n");
    }
    let trimmed = text.trim_matches(is_invisible);
    if trimmed.is_empty() {
        return Err(TextError::Blank);
    }
    if trimmed.chars().count() > max_chars {
        return Err(TextError::TooLong { max: max_chars });
    }
    Ok(trimmed.to_owned())
}

/// [`clean`] for an optional field: absent, or blank to a reader, means none.
pub fn clean_optional(
    value: Option<&str>,
    kind: TextKind,
    max_chars: usize,
) -> Result<Option<String>, TextError> {
    match value {
        None => Ok(None),
        Some(v) if first_forbidden(v, kind).is_none() && is_blank(v) => Ok(None),
        Some(v) => clean(v, kind, max_chars).map(Some),
    }
}

/// Checks an identifier (an object id, an organisation code, a token's subject): 1 to
/// `max_chars` characters, none of them a control, white-space or invisible character. It is
/// never rewritten: an identifier that is not already clean is refused.
pub fn check_identifier(value: &str, max_chars: usize) -> Result<(), TextError> {
    if value.is_empty() {
        return Err(TextError::Blank);
    }
    if let Some(c) = first_forbidden(value, TextKind::Line) {
        return Err(TextError::Forbidden(c));
    }
    if let Some(c) = value.chars().find(|c| is_invisible(*c)) {
        return Err(TextError::NotAnIdentifier(c));
    }
    if value.chars().count() > max_chars {
        return Err(TextError::TooLong { max: max_chars });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nul_and_other_controls_are_refused_in_every_kind() {
        for kind in [TextKind::Line, TextKind::Long] {
            assert_eq!(
                clean("王\0建国", kind, 100),
                Err(TextError::Forbidden('\0'))
            );
            assert_eq!(
                clean("a\u{7}b", kind, 100),
                Err(TextError::Forbidden('\u{7}'))
            );
            assert_eq!(
                clean("a\u{85}b", kind, 100),
                Err(TextError::Forbidden('\u{85}'))
            );
            assert_eq!(
                clean("a\u{FFFE}b", kind, 100),
                Err(TextError::Forbidden('\u{FFFE}'))
            );
            assert_eq!(
                clean("a\u{10FFFF}", kind, 100),
                Err(TextError::Forbidden('\u{10FFFF}'))
            );
        }
    }

    #[test]
    fn free_text_keeps_newlines_and_tabs_one_line_text_does_not() {
        assert_eq!(
            clean("第一条\r\n第二条\r第三条\u{2028}\t完", TextKind::Long, 100).as_deref(),
            Ok("第一条\n第二条\n第三条\n\t完")
        );
        assert_eq!(
            clean("王\n建国", TextKind::Line, 100),
            Err(TextError::Forbidden('\n'))
        );
        assert_eq!(
            clean("王\t建国", TextKind::Line, 100),
            Err(TextError::Forbidden('\t'))
        );
        assert!(
            TextError::Forbidden('\n')
                .to_string()
                .starts_with("must be one line")
        );
    }

    #[test]
    fn text_is_stored_in_nfc() {
        // "é" as e + combining acute (NFD) becomes the one precomposed character.
        assert_eq!(
            clean("Caf\u{65}\u{301}", TextKind::Line, 4).as_deref(),
            Ok("Caf\u{e9}")
        );
        // Compatibility ideographs fold to their canonical ideograph.
        assert_eq!(
            clean("\u{F900}", TextKind::Line, 1).as_deref(),
            Ok("\u{8C48}")
        );
    }

    #[test]
    fn invisible_only_text_is_blank() {
        for blank in [
            "",
            "   ",
            "\u{3000}",
            "\u{200B}",
            "\u{FEFF}",
            "\u{200B}\u{200C}\u{200D}\u{2060}",
            "\u{00A0}\u{2800}\u{3164}",
            "\u{202E}\u{E0041}",
            "\u{FE0F}",
        ] {
            assert_eq!(
                clean(blank, TextKind::Line, 100),
                Err(TextError::Blank),
                "{blank:?}"
            );
            assert_eq!(
                clean(blank, TextKind::Long, 100),
                Err(TextError::Blank),
                "{blank:?}"
            );
            assert_eq!(clean_optional(Some(blank), TextKind::Line, 100), Ok(None));
        }
        assert_eq!(
            clean("\n\t\u{200B}", TextKind::Long, 100),
            Err(TextError::Blank)
        );
    }

    #[test]
    fn invisible_characters_are_trimmed_at_the_ends_and_kept_inside() {
        assert_eq!(
            clean("\u{FEFF}\u{200B} 王建国\u{3000}", TextKind::Line, 100).as_deref(),
            Ok("王建国")
        );
        // A joiner inside an emoji sequence is part of what a reader sees.
        assert_eq!(
            clean("👩\u{200D}🔬", TextKind::Line, 100).as_deref(),
            Ok("👩\u{200D}🔬")
        );
    }

    #[test]
    fn length_is_counted_in_characters_after_normalisation() {
        assert_eq!(clean("王建国", TextKind::Line, 3).as_deref(), Ok("王建国"));
        assert_eq!(
            clean("王建国了", TextKind::Line, 3),
            Err(TextError::TooLong { max: 3 })
        );
        // Three characters in NFD, two in NFC.
        assert_eq!(
            clean("e\u{301}e", TextKind::Line, 2).as_deref(),
            Ok("\u{e9}e")
        );
        assert_eq!(clean_optional(None, TextKind::Line, 1), Ok(None));
        assert_eq!(
            clean_optional(Some("ab"), TextKind::Line, 1),
            Err(TextError::TooLong { max: 1 })
        );
        assert_eq!(
            clean_optional(Some("\0"), TextKind::Line, 1),
            Err(TextError::Forbidden('\0'))
        );
    }

    #[test]
    fn identifiers_are_checked_never_rewritten() {
        assert_eq!(
            check_identifier("0190a2b4-7c1e-7d2a-9f00-1234567890ab", 36),
            Ok(())
        );
        assert_eq!(check_identifier("dept-commerce", 200), Ok(()));
        assert_eq!(check_identifier("", 36), Err(TextError::Blank));
        assert_eq!(check_identifier("a\0", 36), Err(TextError::Forbidden('\0')));
        assert_eq!(
            check_identifier("a\nb", 36),
            Err(TextError::Forbidden('\n'))
        );
        assert_eq!(
            check_identifier("\u{200B}", 36),
            Err(TextError::NotAnIdentifier('\u{200B}'))
        );
        assert_eq!(
            check_identifier(" hr-officer", 36),
            Err(TextError::NotAnIdentifier(' '))
        );
        assert_eq!(
            check_identifier(&"x".repeat(37), 36),
            Err(TextError::TooLong { max: 36 })
        );
    }
}
