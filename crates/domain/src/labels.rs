//! Enumerations with stable snake_case codes and English / zh-CN labels.
//!
//! Every enum that crosses the API declares itself with [`labelled_enum!`] so that
//! `GET /api/v1/meta/enums` can list it without a second copy of the labels.

/// An enum value with a stable machine code and human labels.
pub trait Labelled: Sized + Copy + 'static {
    /// The enum's name in the catalogue (snake_case).
    const NAME: &'static str;
    /// Every value, in a stable order.
    fn all() -> &'static [Self];
    /// The stable snake_case code used in JSON and the database.
    fn code(self) -> &'static str;
    /// English label.
    fn label_en(self) -> &'static str;
    /// Simplified Chinese label.
    fn label_zh(self) -> &'static str;
    /// Parses a code back into a value.
    fn from_code(code: &str) -> Option<Self> {
        Self::all().iter().copied().find(|v| v.code() == code)
    }
}

/// One enum in the catalogue: its name and its values with their labels.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnumCatalog {
    pub name: &'static str,
    pub values: Vec<(&'static str, &'static str, &'static str)>,
}

impl EnumCatalog {
    /// The catalogue entry of one labelled enum.
    pub fn of<T: Labelled>() -> Self {
        Self {
            name: T::NAME,
            values: T::all()
                .iter()
                .map(|v| (v.code(), v.label_en(), v.label_zh()))
                .collect(),
        }
    }
}

/// Declares an enum with serde snake_case codes and English / zh-CN labels.
///
/// ```
/// guwen_domain::labelled_enum! {
///     /// Colours.
///     pub enum Colour("colour") {
///         Red = ("red", "Red", "红"),
///     }
/// }
/// use guwen_domain::Labelled;
/// assert_eq!(Colour::Red.label_zh(), "红");
/// ```
#[macro_export]
macro_rules! labelled_enum {
    (
        $(#[$meta:meta])*
        pub enum $name:ident($catalog:literal) {
            $( $(#[$vmeta:meta])* $variant:ident = ($code:literal, $en:literal, $zh:literal) ),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
        #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
        #[cfg_attr(feature = "sea-orm", derive(sea_orm::EnumIter, sea_orm::DeriveActiveEnum))]
        #[cfg_attr(feature = "sea-orm", sea_orm(rs_type = "String", db_type = "Text"))]
        #[serde(rename_all = "snake_case")]
        pub enum $name {
            $(
                $(#[$vmeta])*
                #[doc = concat!($en, " (", $zh, ")")]
                #[serde(rename = $code)]
                #[cfg_attr(feature = "sea-orm", sea_orm(string_value = $code))]
                $variant
            ),+
        }

        impl $crate::labels::Labelled for $name {
            const NAME: &'static str = $catalog;
            fn all() -> &'static [Self] {
                &[$( $name::$variant ),+]
            }
            fn code(self) -> &'static str {
                match self { $( $name::$variant => $code ),+ }
            }
            fn label_en(self) -> &'static str {
                match self { $( $name::$variant => $en ),+ }
            }
            fn label_zh(self) -> &'static str {
                match self { $( $name::$variant => $zh ),+ }
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str($crate::labels::Labelled::code(*self))
            }
        }

        impl ::std::str::FromStr for $name {
            type Err = $crate::labels::UnknownCode;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                <Self as $crate::labels::Labelled>::from_code(s)
                    .ok_or_else(|| $crate::labels::UnknownCode { enum_name: $catalog, code: s.to_owned() })
            }
        }
    };
}

/// A code that names no value of the enum.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{code}` is not a valid {enum_name}")]
pub struct UnknownCode {
    pub enum_name: &'static str,
    pub code: String,
}
