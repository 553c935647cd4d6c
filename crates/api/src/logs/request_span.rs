//! The request span, opened only when a line is logged in it.
//!
//! Every line logged while a request is served carries the request's id in the span `request`
//! (`"span":{"request_id":…}` in JSON, `request{request_id=…}:` in text). Most requests log
//! nothing but their access line, which carries the id itself ([`super::access`]), and opening,
//! entering and closing a span for each of them cost a cached answer about a twentieth of its
//! time. So the request's future runs [`in_request`], which only marks the thread with the
//! request while the future is polled, and [`RequestSpans`], around the subscriber, opens the
//! span when the first line is logged under that mark, enters it for each line, and lets it
//! close with the request.
//!
//! The span is opened through the global dispatcher, from inside the dispatch of the line:
//! `RequestSpans` is meant to be the process's global default (`init()`), where that works. A
//! scoped default (`tracing::subscriber::with_default`) refuses nested dispatch, and lines
//! logged under it go out without the span.

use std::{
    cell::{OnceCell, RefCell},
    future::Future,
    pin::Pin,
    rc::Rc,
    task::{Context, Poll},
};

use tracing::{
    Event, Metadata, Span, Subscriber,
    level_filters::LevelFilter,
    span::{Attributes, Id, Record},
    subscriber::Interest,
};
use tracing_core::span::Current;

/// The request a thread is polling: its id, and its span once a line was logged in it.
struct Request {
    id: String,
    span: OnceCell<Span>,
}

thread_local! {
    static CURRENT: RefCell<Option<Rc<Request>>> = const { RefCell::new(None) };
}

/// `future`, polled as the request `request_id`: lines logged while it runs are in the request
/// span, opened at the first of them.
pub fn in_request<F: Future + Unpin>(request_id: String, future: F) -> InRequest<F> {
    InRequest {
        request: Rc::new(Request {
            id: request_id,
            span: OnceCell::new(),
        }),
        future,
    }
}

/// A request's future, marking the thread with the request while it is polled (see
/// [`in_request`]).
pub struct InRequest<F> {
    request: Rc<Request>,
    future: F,
}

impl<F: Future + Unpin> Future for InRequest<F> {
    type Output = F::Output;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<F::Output> {
        let this = &mut *self;
        let _marked = Marked::new(this.request.clone());
        Pin::new(&mut this.future).poll(cx)
    }
}

/// The thread marked with a request; the mark before it comes back on drop, in a panic too.
struct Marked(Option<Rc<Request>>);

impl Marked {
    fn new(request: Rc<Request>) -> Self {
        Self(CURRENT.with(|c| c.replace(Some(request))))
    }
}

impl Drop for Marked {
    fn drop(&mut self) {
        let previous = self.0.take();
        // Taken out first and dropped after: dropping it may close a span, which the
        // subscriber may log.
        let ours = CURRENT.with(|c| c.replace(previous));
        drop(ours);
    }
}

/// The subscriber `S`, with every line logged in a request (see [`in_request`]) inside that
/// request's span. Everything else is `S`'s own.
pub struct RequestSpans<S> {
    inner: S,
}

impl<S> RequestSpans<S> {
    /// `inner`, with request spans.
    pub fn new(inner: S) -> Self {
        Self { inner }
    }
}

impl<S: Subscriber> Subscriber for RequestSpans<S> {
    fn event(&self, event: &Event<'_>) {
        let request = CURRENT.with(|c| c.borrow().clone());
        match request {
            Some(request) if event.is_contextual() => {
                let span = request
                    .span
                    .get_or_init(|| tracing::info_span!("request", request_id = %request.id));
                let _in_span = span.enter();
                self.inner.event(event);
            }
            _ => self.inner.event(event),
        }
    }

    fn on_register_dispatch(&self, subscriber: &tracing::Dispatch) {
        self.inner.on_register_dispatch(subscriber)
    }
    fn register_callsite(&self, metadata: &'static Metadata<'static>) -> Interest {
        self.inner.register_callsite(metadata)
    }
    fn enabled(&self, metadata: &Metadata<'_>) -> bool {
        self.inner.enabled(metadata)
    }
    fn max_level_hint(&self) -> Option<LevelFilter> {
        self.inner.max_level_hint()
    }
    fn new_span(&self, span: &Attributes<'_>) -> Id {
        self.inner.new_span(span)
    }
    fn record(&self, span: &Id, values: &Record<'_>) {
        self.inner.record(span, values)
    }
    fn record_follows_from(&self, span: &Id, follows: &Id) {
        self.inner.record_follows_from(span, follows)
    }
    fn event_enabled(&self, event: &Event<'_>) -> bool {
        self.inner.event_enabled(event)
    }
    fn enter(&self, span: &Id) {
        self.inner.enter(span)
    }
    fn exit(&self, span: &Id) {
        self.inner.exit(span)
    }
    fn clone_span(&self, id: &Id) -> Id {
        self.inner.clone_span(id)
    }
    fn try_close(&self, id: Id) -> bool {
        self.inner.try_close(id)
    }
    fn current_span(&self) -> Current {
        self.inner.current_span()
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use std::{
        io,
        sync::{Arc, Mutex},
    };

    use futures_util::future::poll_fn;
    use serde_json::Value;
    use tracing_subscriber::util::SubscriberInitExt;

    use super::*;

    #[derive(Clone, Default)]
    struct Lines(Arc<Mutex<Vec<u8>>>);

    impl io::Write for Lines {
        fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(bytes);
            Ok(bytes.len())
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    /// The JSON lines written so far whose message is `message`.
    fn logged(lines: &Lines, message: &str) -> Vec<Value> {
        String::from_utf8(lines.0.lock().unwrap().clone())
            .unwrap()
            .lines()
            .map(|l| serde_json::from_str::<Value>(l).unwrap())
            .filter(|l| l["fields"]["message"] == message)
            .collect()
    }

    /// One test, for it installs the process's global subscriber, as `main` does.
    #[actix_web::test]
    async fn lines_logged_in_a_request_carry_its_id_and_lines_outside_carry_none() {
        let lines = Lines::default();
        let writer = lines.clone();
        RequestSpans::new(
            tracing_subscriber::fmt()
                .json()
                .with_current_span(true)
                .with_span_list(false)
                .with_writer(move || writer.clone())
                .finish(),
        )
        .init();

        let mut polls = 0;
        let request = in_request(
            "req-1".to_owned(),
            poll_fn(|cx| {
                polls += 1;
                tracing::info!(poll = polls, "inside");
                if polls < 3 {
                    cx.waker().wake_by_ref();
                    return Poll::Pending;
                }
                Poll::Ready(())
            }),
        );
        let quiet = in_request("req-2".to_owned(), poll_fn(|_| Poll::Ready(())));
        quiet.await;
        request.await;
        tracing::info!("outside");

        let inside = logged(&lines, "inside");
        assert_eq!(inside.len(), 3, "one line a poll");
        for line in &inside {
            assert_eq!(line["span"]["name"], "request");
            assert_eq!(line["span"]["request_id"], "req-1");
        }
        let outside = logged(&lines, "outside");
        assert_eq!(outside.len(), 1);
        assert!(outside[0].get("span").is_none(), "{}", outside[0]);
        assert!(
            CURRENT.with(|c| c.borrow().is_none()),
            "the mark outlived the request"
        );
    }
}
