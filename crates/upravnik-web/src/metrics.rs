//! Prometheus text-format metrics: requests by route and status class, and a latency histogram.

use std::collections::BTreeMap;
use std::fmt::Write;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

const BUCKETS_MS: [f64; 10] = [1.0, 2.5, 5.0, 10.0, 25.0, 50.0, 100.0, 250.0, 500.0, 1000.0];

#[derive(Default)]
pub struct Metrics {
    /// (route, status class) → count.
    requests: Mutex<BTreeMap<(String, u16), u64>>,
    buckets: [AtomicU64; 10],
    count: AtomicU64,
    sum_us: AtomicU64,
    started: std::sync::OnceLock<std::time::Instant>,
}

impl Metrics {
    pub fn record(&self, route: &str, status: u16, elapsed: std::time::Duration) {
        let _ = self.started.get_or_init(std::time::Instant::now);
        if let Ok(mut m) = self.requests.lock() {
            *m.entry((route.to_string(), status / 100 * 100)).or_default() += 1;
        }
        let ms = elapsed.as_secs_f64() * 1000.0;
        for (i, b) in BUCKETS_MS.iter().enumerate() {
            if ms <= *b {
                self.buckets[i].fetch_add(1, Ordering::Relaxed);
            }
        }
        self.count.fetch_add(1, Ordering::Relaxed);
        self.sum_us.fetch_add(u64::try_from(elapsed.as_micros()).unwrap_or(u64::MAX), Ordering::Relaxed);
    }

    pub fn render(&self, backend: &str) -> String {
        let mut s = String::new();
        let _ = writeln!(s, "# HELP upravnik_info Build and database of this instance.\n# TYPE upravnik_info gauge");
        let _ = writeln!(s, "upravnik_info{{version=\"{}\",database=\"{backend}\"}} 1", env!("CARGO_PKG_VERSION"));
        let _ = writeln!(
            s,
            "# HELP upravnik_http_requests_total HTTP requests by route and status class.\n# TYPE upravnik_http_requests_total counter"
        );
        if let Ok(m) = self.requests.lock() {
            for ((route, class), n) in m.iter() {
                let _ = writeln!(s, "upravnik_http_requests_total{{route=\"{}\",status=\"{class}\"}} {n}", route.replace('"', "'"));
            }
        }
        let _ = writeln!(
            s,
            "# HELP upravnik_http_request_duration_seconds Time to answer a request.\n# TYPE upravnik_http_request_duration_seconds histogram"
        );
        for (i, b) in BUCKETS_MS.iter().enumerate() {
            let _ = writeln!(
                s,
                "upravnik_http_request_duration_seconds_bucket{{le=\"{}\"}} {}",
                b / 1000.0,
                self.buckets[i].load(Ordering::Relaxed)
            );
        }
        let count = self.count.load(Ordering::Relaxed);
        let _ = writeln!(s, "upravnik_http_request_duration_seconds_bucket{{le=\"+Inf\"}} {count}");
        let _ = writeln!(s, "upravnik_http_request_duration_seconds_sum {}", self.sum_us.load(Ordering::Relaxed) as f64 / 1e6);
        let _ = writeln!(s, "upravnik_http_request_duration_seconds_count {count}");
        s
    }
}
