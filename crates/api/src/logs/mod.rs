//! Where log lines go: standard error, in batches.
//!
//! Every request writes one access-log line. Written one by one, that is a system call per
//! request; handed one by one to a writing thread, it is a thread wake-up per request. Instead,
//! lines are appended to a buffer in memory that a thread writes out every
//! [`FLUSH_EVERY`], or at once when it holds [`FLUSH_AT_BYTES`]. Warnings and errors are
//! written at once, with everything before them, so the lines that explain a failure are out
//! before the process can die of it. What is buffered is written when [`Flush`] is dropped (the
//! end of `main`). A process killed outright loses at most the last [`FLUSH_EVERY`] of
//! informational lines.
//!
//! The access-log line itself is formatted here ([`access`]) once the binary has set it up
//! ([`write_access_lines_to`]), in the very text or JSON format `tracing` writes, without its
//! per-event machinery: through `tracing`, that line cost a sixth of a cached answer's time.

use std::{
    cell::RefCell,
    io::{self, Write},
    sync::{Arc, Mutex, MutexGuard, OnceLock},
    time::{Duration, SystemTime, UNIX_EPOCH},
};

use serde::Serialize;
use tracing::{Level, Metadata};
use tracing_subscriber::fmt::MakeWriter;

mod request_span;
pub use request_span::{InRequest, RequestSpans, in_request};

/// How often buffered lines are written out.
pub const FLUSH_EVERY: Duration = Duration::from_millis(50);
/// A buffer this large is written out at once.
pub const FLUSH_AT_BYTES: usize = 64 * 1024;

/// The buffer and where it goes.
struct Shared<W> {
    pending: Mutex<Vec<u8>>,
    out: Mutex<W>,
}

impl<W: Write> Shared<W> {
    fn pending(&self) -> MutexGuard<'_, Vec<u8>> {
        self.pending.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Writes out what is pending. The writer is locked before the buffer is let go, so
    /// batches keep their order, and lines are appended to a new buffer during the write.
    fn write_out(&self, mut pending: MutexGuard<'_, Vec<u8>>) {
        if pending.is_empty() {
            return;
        }
        let mut out = self.out.lock().unwrap_or_else(|p| p.into_inner());
        let batch = std::mem::replace(&mut *pending, Vec::with_capacity(FLUSH_AT_BYTES));
        drop(pending);
        // Nowhere to report a failure to write the log: the lines are dropped.
        let _ = out.write_all(&batch).and_then(|()| out.flush());
    }
}

/// The log writer for `tracing_subscriber::fmt().with_writer(…)`.
pub struct Batched<W> {
    shared: Arc<Shared<W>>,
}

impl<W> Clone for Batched<W> {
    fn clone(&self) -> Self {
        Self {
            shared: self.shared.clone(),
        }
    }
}

/// Writes out what is still buffered when dropped.
pub struct Flush<W: Write> {
    shared: Arc<Shared<W>>,
}

impl<W: Write> Drop for Flush<W> {
    fn drop(&mut self) {
        self.shared.write_out(self.shared.pending());
    }
}

impl<W: Write + Send + 'static> Batched<W> {
    /// A batched writer to `out`, with the thread that writes it out every [`FLUSH_EVERY`].
    pub fn new(out: W) -> (Self, Flush<W>) {
        let shared = Arc::new(Shared {
            pending: Mutex::new(Vec::with_capacity(FLUSH_AT_BYTES)),
            out: Mutex::new(out),
        });
        let weak = Arc::downgrade(&shared);
        std::thread::Builder::new()
            .name("guwen-logs".into())
            .spawn(move || {
                while let Some(shared) = weak.upgrade() {
                    shared.write_out(shared.pending());
                    drop(shared);
                    std::thread::sleep(FLUSH_EVERY);
                }
            })
            .ok();
        (
            Self {
                shared: shared.clone(),
            },
            Flush { shared },
        )
    }
}

/// One event's line.
pub struct Line<W> {
    shared: Arc<Shared<W>>,
    urgent: bool,
}

impl<W: Write> Write for Line<W> {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        let mut pending = self.shared.pending();
        pending.extend_from_slice(bytes);
        if self.urgent || pending.len() >= FLUSH_AT_BYTES {
            self.shared.write_out(pending);
        }
        Ok(bytes.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

impl<'a, W: Write + 'a> MakeWriter<'a> for Batched<W> {
    type Writer = Line<W>;

    fn make_writer(&'a self) -> Line<W> {
        Line {
            shared: self.shared.clone(),
            urgent: false,
        }
    }

    fn make_writer_for(&'a self, meta: &Metadata<'_>) -> Line<W> {
        Line {
            shared: self.shared.clone(),
            urgent: *meta.level() <= Level::WARN,
        }
    }
}

/// One request as the access log tells it (target `guwen::access`, level info, message
/// `request`).
#[derive(Debug, Serialize)]
pub struct AccessLine<'a> {
    pub method: &'static str,
    pub route: &'static str,
    pub status: u16,
    pub latency_ms: f64,
    pub request_id: &'a str,
    pub sub: &'a str,
}

/// Where access lines go once the binary set it up; until then they go through `tracing`.
static ACCESS: OnceLock<AccessSink> = OnceLock::new();

/// Appends one formatted line to the log.
type WriteLine = Box<dyn Fn(&[u8]) + Send + Sync>;

struct AccessSink {
    write: WriteLine,
    json: bool,
}

/// A thread's buffers for formatting access lines.
struct Formatting {
    line: Vec<u8>,
    timestamp: String,
    /// The second `timestamp` starts with (`2026-11-28T17:27:59`).
    second: i64,
}

thread_local! {
    static FORMATTING: RefCell<Formatting> = const {
        RefCell::new(Formatting { line: Vec::new(), timestamp: String::new(), second: i64::MIN })
    };
}

/// From now on, access lines are formatted here and appended to `writer`: as `tracing`'s
/// JSON lines with `json`, else as its plain text (so not where colours are wanted).
pub fn write_access_lines_to<W: Write + Send + 'static>(writer: Batched<W>, json: bool) {
    let write = move |line: &[u8]| {
        let _ = writer.make_writer().write_all(line);
    };
    let _ = ACCESS.set(AccessSink {
        write: Box::new(write),
        json,
    });
}

/// Logs a request's access line, unless the log filter turns `guwen::access` off.
pub fn access(line: &AccessLine<'_>) {
    if !tracing::enabled!(target: "guwen::access", Level::INFO) {
        return;
    }
    let Some(sink) = ACCESS.get() else {
        tracing::info!(
            target: "guwen::access",
            method = line.method,
            route = %line.route,
            status = line.status,
            latency_ms = line.latency_ms,
            request_id = %line.request_id,
            sub = line.sub,
            "request"
        );
        return;
    };
    let since_epoch = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default();
    let secs = i64::try_from(since_epoch.as_secs()).unwrap_or(i64::MAX);
    FORMATTING.with_borrow_mut(|f| {
        use std::fmt::Write as _;
        const SECOND: usize = "2026-11-28T17:27:59".len();
        if f.second != secs {
            f.timestamp = chrono::DateTime::from_timestamp(secs, 0)
                .unwrap_or_default()
                .format("%Y-%m-%dT%H:%M:%S")
                .to_string();
            f.second = secs;
        }
        f.timestamp.truncate(SECOND);
        let _ = write!(f.timestamp, ".{:06}Z", since_epoch.subsec_micros());
        f.line.clear();
        format_access(&mut f.line, &f.timestamp, line, sink.json);
        (sink.write)(&f.line);
    });
}

/// The line `tracing` would write for the access event at `timestamp`.
fn format_access(buf: &mut Vec<u8>, timestamp: &str, line: &AccessLine<'_>, json: bool) {
    if json {
        #[derive(Serialize)]
        struct Fields<'a> {
            message: &'static str,
            #[serde(flatten)]
            line: &'a AccessLine<'a>,
        }
        #[derive(Serialize)]
        struct Json<'a> {
            timestamp: &'a str,
            level: &'static str,
            fields: Fields<'a>,
            target: &'static str,
        }
        let json = Json {
            timestamp,
            level: "INFO",
            fields: Fields {
                message: "request",
                line,
            },
            target: "guwen::access",
        };
        let _ = serde_json::to_writer(&mut *buf, &json);
        buf.push(b'\n');
        return;
    }
    let AccessLine {
        method,
        route,
        status,
        latency_ms,
        request_id,
        sub,
    } = line;
    // Pushed part by part: `write!` of the whole line costs several times as much. Quoted
    // values are escaped as `{:?}` escapes them (only the caller's `sub` can need it).
    let quoted = |buf: &mut Vec<u8>, text: &str| {
        if text
            .bytes()
            .all(|b| (b' '..=b'~').contains(&b) && b != b'"' && b != b'\\')
        {
            buf.push(b'"');
            buf.extend_from_slice(text.as_bytes());
            buf.push(b'"');
        } else {
            let _ = write!(buf, "{text:?}");
        }
    };
    buf.extend_from_slice(timestamp.as_bytes());
    buf.extend_from_slice(b"  INFO guwen::access: request method=");
    quoted(buf, method);
    buf.extend_from_slice(b" route=");
    buf.extend_from_slice(route.as_bytes());
    let _ = write!(
        buf,
        " status={status} latency_ms={latency_ms:?} request_id="
    );
    buf.extend_from_slice(request_id.as_bytes());
    buf.extend_from_slice(b" sub=");
    quoted(buf, sub);
    buf.push(b'\n');
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    /// A sink the test can read.
    #[derive(Clone, Default)]
    struct Sink(Arc<Mutex<Vec<u8>>>);

    impl Write for Sink {
        fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(bytes);
            Ok(bytes.len())
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn lines_are_buffered_a_warning_writes_them_out_in_order_and_the_rest_on_drop() {
        let sink = Sink::default();
        let written = || String::from_utf8(sink.0.lock().unwrap().clone()).unwrap();
        let (writer, flush) = Batched::new(sink.clone());
        let mut info = writer.make_writer();
        info.urgent = false;
        writeln!(info, "one").unwrap();
        // The writing thread may or may not have run yet; either way nothing is lost or
        // reordered.
        let mut warn = writer.make_writer();
        warn.urgent = true;
        writeln!(warn, "two").unwrap();
        assert_eq!(written(), "one\ntwo\n");
        writeln!(info, "three").unwrap();
        drop(flush);
        assert_eq!(written(), "one\ntwo\nthree\n");
    }

    fn line() -> AccessLine<'static> {
        AccessLine {
            method: "GET",
            route: "/api/v1/roster",
            status: 304,
            latency_ms: 0.295207,
            request_id: "01a22333-1468-7558-9ea3-891ce0d45644",
            sub: "bench \"integration\"\n",
        }
    }

    #[test]
    fn an_access_line_reads_as_tracing_writes_it() {
        let mut buf = Vec::new();
        format_access(&mut buf, "2026-11-28T17:27:59.849072Z", &line(), false);
        assert_eq!(
            String::from_utf8(buf).unwrap(),
            "2026-11-28T17:27:59.849072Z  INFO guwen::access: request method=\"GET\" \
             route=/api/v1/roster status=304 latency_ms=0.295207 \
             request_id=01a22333-1468-7558-9ea3-891ce0d45644 sub=\"bench \\\"integration\\\"\\n\"\n"
        );
    }

    #[test]
    fn an_access_line_in_json_has_tracing_s_fields() {
        let mut buf = Vec::new();
        format_access(&mut buf, "2026-11-28T17:27:59.849072Z", &line(), true);
        assert_eq!(buf.last(), Some(&b'\n'));
        let json: serde_json::Value = serde_json::from_slice(&buf).unwrap();
        assert_eq!(
            json,
            serde_json::json!({
                "timestamp": "2026-11-28T17:27:59.849072Z",
                "level": "INFO",
                "fields": {
                    "message": "request",
                    "method": "GET",
                    "route": "/api/v1/roster",
                    "status": 304,
                    "latency_ms": 0.295207,
                    "request_id": "01a22333-1468-7558-9ea3-891ce0d45644",
                    "sub": "bench \"integration\"\n",
                },
                "target": "guwen::access",
            })
        );
    }
}
