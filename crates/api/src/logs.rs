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

use std::{
    io::{self, Write},
    sync::{Arc, Mutex, MutexGuard},
    time::Duration,
};

use tracing::{Level, Metadata};
use tracing_subscriber::fmt::MakeWriter;

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

    /// Writes out what is pending (the caller holds the buffer, so lines keep their order).
    fn write_out(&self, pending: &mut Vec<u8>) {
        if pending.is_empty() {
            return;
        }
        let mut out = self.out.lock().unwrap_or_else(|p| p.into_inner());
        // Nowhere to report a failure to write the log: the lines are dropped.
        let _ = out.write_all(pending).and_then(|()| out.flush());
        pending.clear();
    }
}

/// The log writer for `tracing_subscriber::fmt().with_writer(…)`.
#[derive(Clone)]
pub struct Batched<W> {
    shared: Arc<Shared<W>>,
}

/// Writes out what is still buffered when dropped.
pub struct Flush<W: Write> {
    shared: Arc<Shared<W>>,
}

impl<W: Write> Drop for Flush<W> {
    fn drop(&mut self) {
        let mut pending = self.shared.pending();
        self.shared.write_out(&mut pending);
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
                    {
                        let mut pending = shared.pending();
                        shared.write_out(&mut pending);
                    }
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
            self.shared.write_out(&mut pending);
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
}
