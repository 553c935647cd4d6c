//! A webhook receiver for the scenarios: a real HTTP server on loopback that records every
//! delivery, answers as the test tells it (acknowledge, fail, answer slowly, hold the first
//! request), and verifies Standard Webhooks signatures.

use std::{
    net::TcpListener,
    sync::{Arc, Mutex},
    time::{Duration, Instant},
};

use actix_web::{App, HttpRequest, HttpResponse, HttpServer, web};
use base64::{Engine, engine::general_purpose::STANDARD};
use hmac::{Hmac, Mac};
use sha2::Sha256;

/// How the receiver answers.
#[derive(Debug, Clone, Copy)]
pub enum Mode {
    /// 204 at once.
    Ack,
    /// This status at once.
    Fail(u16),
    /// 204 after this long.
    Slow(Duration),
}

/// One request the receiver got.
#[derive(Debug, Clone)]
pub struct Delivery {
    pub id: String,
    pub timestamp: String,
    pub signature: String,
    pub body: String,
    pub received: Instant,
}

impl Delivery {
    /// The event's sequence number.
    pub fn sequence(&self) -> i64 {
        serde_json::from_str::<serde_json::Value>(&self.body)
            .ok()
            .and_then(|v| v["sequence"].as_i64())
            .unwrap_or(-1)
    }

    /// Whether the signature verifies with `secret` (`whsec_…`), as a receiver checks it.
    pub fn verifies(&self, secret: &str) -> bool {
        let Some(key) = secret
            .strip_prefix("whsec_")
            .and_then(|k| STANDARD.decode(k).ok())
        else {
            return false;
        };
        let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(&key) else {
            return false;
        };
        mac.update(format!("{}.{}.{}", self.id, self.timestamp, self.body).as_bytes());
        let expected = format!("v1,{}", STANDARD.encode(mac.finalize().into_bytes()));
        self.signature.split(' ').any(|s| s == expected)
    }
}

#[derive(Debug)]
struct Inner {
    mode: Mode,
    /// Hold this many of the next requests this long before answering.
    hold: Option<(usize, Duration)>,
    deliveries: Vec<Delivery>,
    in_flight: usize,
}

/// A running receiver.
#[derive(Clone)]
pub struct Receiver {
    pub url: String,
    inner: Arc<Mutex<Inner>>,
}

async fn receive(
    req: HttpRequest,
    body: web::Bytes,
    inner: web::Data<Mutex<Inner>>,
) -> HttpResponse {
    let header = |name: &str| {
        req.headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned()
    };
    let (mode, hold) = {
        let mut i = inner.lock().unwrap();
        i.deliveries.push(Delivery {
            id: header("webhook-id"),
            timestamp: header("webhook-timestamp"),
            signature: header("webhook-signature"),
            body: String::from_utf8_lossy(&body).into_owned(),
            received: Instant::now(),
        });
        i.in_flight += 1;
        let hold = match i.hold {
            Some((n, d)) if n > 0 => {
                i.hold = Some((n - 1, d));
                Some(d)
            }
            _ => None,
        };
        (i.mode, hold)
    };
    if let Some(d) = hold {
        tokio::time::sleep(d).await;
    }
    let answer = match mode {
        Mode::Ack => HttpResponse::NoContent().finish(),
        Mode::Fail(status) => {
            HttpResponse::build(actix_web::http::StatusCode::from_u16(status).unwrap())
                .body("receiver down")
        }
        Mode::Slow(d) => {
            tokio::time::sleep(d).await;
            HttpResponse::NoContent().finish()
        }
    };
    inner.lock().unwrap().in_flight -= 1;
    answer
}

impl Receiver {
    /// Starts a receiver on a free loopback port.
    pub async fn start(mode: Mode) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let inner = Arc::new(Mutex::new(Inner {
            mode,
            hold: None,
            deliveries: Vec::new(),
            in_flight: 0,
        }));
        let data = web::Data::from(inner.clone());
        let server = HttpServer::new(move || {
            App::new()
                .app_data(data.clone())
                .app_data(web::PayloadConfig::new(1 << 20))
                .default_service(web::to(receive))
        })
        .workers(2)
        .listen(listener)
        .unwrap()
        .run();
        tokio::spawn(server);
        Self {
            url: format!("http://127.0.0.1:{port}/hooks/guwen"),
            inner,
        }
    }

    pub fn set_mode(&self, mode: Mode) {
        self.inner.lock().unwrap().mode = mode;
    }

    /// Holds the next `n` requests for `d` before answering.
    pub fn hold_next(&self, n: usize, d: Duration) {
        self.inner.lock().unwrap().hold = Some((n, d));
    }

    pub fn deliveries(&self) -> Vec<Delivery> {
        self.inner.lock().unwrap().deliveries.clone()
    }

    pub fn in_flight(&self) -> usize {
        self.inner.lock().unwrap().in_flight
    }

    /// The sequence numbers received, in arrival order (with repeats).
    pub fn sequences(&self) -> Vec<i64> {
        self.deliveries().iter().map(Delivery::sequence).collect()
    }

    /// Waits until every one of `expected` arrived, up to `timeout`; whether they did.
    pub async fn wait_for_all(&self, expected: &[i64], timeout: Duration) -> bool {
        let deadline = Instant::now() + timeout;
        loop {
            let got = self.sequences();
            if expected.iter().all(|s| got.contains(s)) {
                return true;
            }
            if Instant::now() > deadline {
                return false;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
}
