//! Time, injected: every deadline reads a `Clock` that tests (and the sandbox) can move forward.

use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;

/// Milliseconds since the Unix epoch, UTC: how every time is stored.
pub type UnixMillis = i64;

/// The platform clock: the system time plus an offset that only ever moves forward.
#[derive(Clone, Debug)]
pub struct Clock {
    kind: ClockKind,
    offset_ms: Arc<AtomicI64>,
}

#[derive(Clone, Debug)]
enum ClockKind {
    System,
    /// A clock that stands still unless moved: for tests.
    Manual(Arc<AtomicI64>),
}

impl Clock {
    pub fn system() -> Clock {
        Clock {
            kind: ClockKind::System,
            offset_ms: Arc::new(AtomicI64::new(0)),
        }
    }

    pub fn manual(start: UnixMillis) -> Clock {
        Clock {
            kind: ClockKind::Manual(Arc::new(AtomicI64::new(start))),
            offset_ms: Arc::new(AtomicI64::new(0)),
        }
    }

    pub fn now(&self) -> UnixMillis {
        let base = match &self.kind {
            ClockKind::System => std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_millis() as i64)
                .unwrap_or(0),
            ClockKind::Manual(at) => at.load(Ordering::SeqCst),
        };
        base + self.offset_ms.load(Ordering::SeqCst)
    }

    /// Moves the clock forward; a negative amount is ignored, since deadlines never run backwards.
    pub fn advance(&self, by_ms: i64) {
        if by_ms > 0 {
            self.offset_ms.fetch_add(by_ms, Ordering::SeqCst);
        }
    }

    /// The total amount this clock has been moved forward.
    pub fn offset(&self) -> i64 {
        self.offset_ms.load(Ordering::SeqCst)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_manual_clock_stands_still_until_advanced() {
        let clock = Clock::manual(1_000);
        assert_eq!(clock.now(), 1_000);
        clock.advance(500);
        assert_eq!(clock.now(), 1_500);
    }

    #[test]
    fn a_clock_never_moves_backwards() {
        let clock = Clock::manual(1_000);
        clock.advance(-10_000);
        assert_eq!(clock.now(), 1_000);
    }

    #[test]
    fn clones_share_one_time() {
        let clock = Clock::manual(0);
        let other = clock.clone();
        other.advance(60_000);
        assert_eq!(clock.now(), 60_000);
    }
}
