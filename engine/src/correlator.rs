//! client-go's `EventCorrelator`, which every recorder of core/v1 events runs before it
//! writes (the controllers, the kubelet; not the scheduler, which writes events.k8s.io
//! events): similar events are combined, and a burst of events about one object from one
//! source is thinned out (`tools/record/events_cache.go`).

use crate::time::Time;
use std::collections::{BTreeMap, BTreeSet};

/// `EventAggregator`: from the tenth distinct message of similar events (same source,
/// object, type and reason) within ten minutes, they are written as one combined event.
const MAX_SIMILAR: usize = 10;
const SIMILAR_WINDOW_MS: u64 = 600_000;
/// The combined event's message: this prefix and the latest message.
pub const COMBINED: &str = "(combined from similar events): ";

/// `EventSourceObjectSpamFilter`: a token bucket per source and object, 25 events at once,
/// then one every five minutes. Tokens are counted in milliseconds of refill, so the
/// arithmetic is exact.
const TOKEN_MS: u64 = 300_000;
const SPAM_BURST: u64 = 25 * TOKEN_MS;

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Correlator {
    similar: BTreeMap<String, Similar>,
    buckets: BTreeMap<String, Bucket>,
    /// Size past which the maps are pruned next (doubles while everything in them is live,
    /// so pruning stays cheap on a busy cluster).
    prune_above: usize,
}

#[derive(Debug, Clone, PartialEq)]
struct Similar {
    messages: BTreeSet<String>,
    last: Time,
}

#[derive(Debug, Clone, PartialEq)]
struct Bucket {
    tokens: u64,
    at: Time,
}

/// client-go keeps its caches in LRUs of this many entries; here what can no longer matter
/// (a group quiet for ten minutes, a bucket full again) is dropped once a map grows past it.
const CACHE_ENTRIES: usize = 4096;

impl Correlator {
    fn prune(&mut self, now: Time) {
        let limit = self.prune_above.max(CACHE_ENTRIES);
        if self.similar.len().max(self.buckets.len()) <= limit {
            return;
        }
        self.similar
            .retain(|_, s| now.since(s.last) <= SIMILAR_WINDOW_MS);
        self.buckets
            .retain(|_, b| b.tokens.saturating_add(now.since(b.at)) < SPAM_BURST);
        self.prune_above = 2 * self.similar.len().max(self.buckets.len());
    }

    /// Records `message` among the events that `similar_key` groups; true when the event
    /// joins their combined event. client-go then drops one remembered message (any; the
    /// first in order here), so a later repeat of a remembered message is written on its own.
    pub fn combines(&mut self, similar_key: String, message: &str, now: Time) -> bool {
        self.prune(now);
        let entry = self.similar.entry(similar_key).or_insert_with(|| Similar {
            messages: BTreeSet::new(),
            last: now,
        });
        if now.since(entry.last) > SIMILAR_WINDOW_MS {
            entry.messages.clear();
        }
        entry.messages.insert(message.to_string());
        entry.last = now;
        if entry.messages.len() < MAX_SIMILAR {
            return false;
        }
        entry.messages.pop_first();
        true
    }

    /// Whether the source may write another event about the object now (`TryAccept`).
    pub fn accepts(&mut self, spam_key: String, now: Time) -> bool {
        self.prune(now);
        let b = self.buckets.entry(spam_key).or_insert(Bucket {
            tokens: SPAM_BURST,
            at: now,
        });
        b.tokens = b.tokens.saturating_add(now.since(b.at)).min(SPAM_BURST);
        b.at = now;
        if b.tokens < TOKEN_MS {
            return false;
        }
        b.tokens -= TOKEN_MS;
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_tenth_distinct_message_within_ten_minutes_is_combined() {
        let mut c = Correlator::default();
        let combined: Vec<bool> = (0..12)
            .map(|i| {
                c.combines(
                    "rs".into(),
                    &format!("Created pod: web-{i}"),
                    Time(i * 1000),
                )
            })
            .collect();
        assert_eq!(combined, [[false; 9].as_slice(), &[true; 3]].concat());
        // A message still remembered is written on its own; ten minutes of quiet start over.
        assert!(!c.combines("rs".into(), "Created pod: web-9", Time(13_000)));
        assert!(!c.combines("rs".into(), "Created pod: web-99", Time(13_000 + 600_001)));
        assert!(!c.combines("other".into(), "Created pod: web-0", Time(14_000)));
    }

    #[test]
    fn a_burst_of_25_passes_then_one_event_every_five_minutes() {
        let mut c = Correlator::default();
        let passed = (0..30).filter(|_| c.accepts("rs".into(), Time(0))).count();
        assert_eq!(passed, 25);
        assert!(!c.accepts("rs".into(), Time(299_000)));
        assert!(c.accepts("rs".into(), Time(300_000)));
        assert!(!c.accepts("rs".into(), Time(300_000)));
        assert!(
            c.accepts("deploy".into(), Time(0)),
            "each object has its own bucket"
        );
    }

    #[test]
    fn groups_and_buckets_that_no_longer_matter_are_dropped_as_the_maps_grow() {
        let mut c = Correlator::default();
        for i in 0..5000 {
            c.combines(format!("pod-{i}"), "Created", Time(0));
            c.accepts(format!("pod-{i}"), Time(0));
        }
        assert_eq!(c.similar.len(), 5000, "all live within ten minutes");
        // Eleven minutes later those groups are quiet and their buckets full again: as the
        // maps grow with new objects, only the live entries stay.
        for i in 0..10_000 {
            c.combines(format!("new-{i}"), "Created", Time(660_000));
            c.accepts(format!("new-{i}"), Time(660_000));
        }
        assert_eq!(c.similar.len(), 10_000);
        assert_eq!(c.buckets.len(), 10_000);
        assert!(c.similar.keys().all(|k| k.starts_with("new-")));
    }
}
