//! The timeline of a replication: the events known from the launches, sorted once.
//!
//! All that follows from a threat's launch without depending on the rest of the run (the launch
//! itself, failure in flight, impact, radar tracks and the ends of radar coverage,
//! early-warning cues) is drawn before the run is played, in round order, and put in the
//! timeline. It is then sorted once: a counting sort on the time, into buckets of a
//! power-of-two width that hold at most one entry each on average, then an insertion sort,
//! which moves entries only within their bucket. A few thousand entries are read in order from
//! one vector, where a queue would have scattered them over a bucket each.
//!
//! Entries come in order of time, then of rank ([`Rank::Launch`] first), then of putting.

use skyshield_core::SimTime;

/// The place of an entry among those of its instant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Rank {
    /// Before the other entries of its instant.
    Launch = 0,
    /// After the launches of its instant.
    Later = 1,
}

/// A bucket with more entries than this is sorted by merging, not by insertion, so that time
/// bunched in a few buckets costs no more than `n log n`.
const INSERTION_BUCKET: u32 = 32;

/// Events `E` put in any order and read by (time, rank, order of putting).
#[derive(Debug)]
pub(crate) struct Timeline<E> {
    /// No entry comes before this time.
    start: SimTime,
    /// Entries as put: key (time since `start`, then rank in the lowest bit), event; and the
    /// largest key.
    put: Vec<(u64, E)>,
    latest: u64,
    /// The same, sorted; those before `next` are taken.
    sorted: Vec<(u64, E)>,
    next: usize,
    /// Per bucket of the counting sort, its first entry in `sorted`, then its end.
    bounds: Vec<u32>,
}

impl<E> Default for Timeline<E> {
    fn default() -> Self {
        Self {
            start: SimTime::ZERO,
            put: Vec::new(),
            latest: 0,
            sorted: Vec::new(),
            next: 0,
            bounds: Vec::new(),
        }
    }
}

impl<E: Copy> Timeline<E> {
    /// Empties the timeline; nothing may be put before `start` until the next clear.
    pub(crate) fn clear(&mut self, start: SimTime) {
        self.start = start;
        self.put.clear();
        self.latest = 0;
        self.sorted.clear();
        self.next = 0;
    }

    /// Puts `event` at `at` (no earlier than the start), after everything put before it at the
    /// same time and rank.
    pub(crate) fn put(&mut self, at: SimTime, rank: Rank, event: E) {
        debug_assert!(at >= self.start, "an entry before the timeline's start");
        let key = (((at.0 - self.start.0) as u64) << 1) | rank as u64;
        self.latest = self.latest.max(key);
        self.put.push((key, event));
    }

    /// Sorts what was put; it is then read with [`Timeline::next_time`] and
    /// [`Timeline::take`].
    pub(crate) fn sort(&mut self) {
        self.sorted.clear();
        self.next = 0;
        let Some(&first) = self.put.first() else {
            return;
        };
        let n = self.put.len();
        // At most one entry per bucket on average, and at least a quarter: the top
        // `bucket_bits` bits of the key, and as many buckets as the latest key needs.
        let key_bits = u64::BITS - self.latest.leading_zeros();
        let bucket_bits = (usize::BITS + 1 - n.leading_zeros()).min(key_bits);
        let shift = key_bits - bucket_bits;
        let bucket = |key: u64| (key >> shift) as usize;
        self.bounds.clear();
        self.bounds.resize(bucket(self.latest) + 2, 0);
        for e in &self.put {
            self.bounds[bucket(e.0) + 1] += 1;
        }
        let mut largest = 0;
        for b in 1..self.bounds.len() {
            largest = largest.max(self.bounds[b]);
            self.bounds[b] += self.bounds[b - 1];
        }
        self.sorted.resize(n, first);
        for e in &self.put {
            let at = &mut self.bounds[bucket(e.0)];
            self.sorted[*at as usize] = *e;
            *at += 1;
        }
        // Each bucket's entries are in order of putting; now `bounds[b]` is the end of bucket
        // `b`. Both sorts are stable.
        if largest <= INSERTION_BUCKET {
            for k in 1..n {
                let e = self.sorted[k];
                let mut j = k;
                while j > 0 && self.sorted[j - 1].0 > e.0 {
                    self.sorted[j] = self.sorted[j - 1];
                    j -= 1;
                }
                self.sorted[j] = e;
            }
        } else {
            let mut from = 0;
            for &end in &self.bounds[..self.bounds.len() - 1] {
                self.sorted[from..end as usize].sort_by_key(|e| e.0);
                from = end as usize;
            }
        }
    }

    /// The time of the next entry ([`SimTime::MAX`]: none left).
    #[inline]
    pub(crate) fn next_time(&self) -> SimTime {
        self.sorted
            .get(self.next)
            .map_or(SimTime::MAX, |e| SimTime(self.start.0 + (e.0 >> 1) as i64))
    }

    /// Takes the next entry's event.
    #[inline]
    pub(crate) fn take(&mut self) -> E {
        self.next += 1;
        self.sorted[self.next - 1].1
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Puts `(time, launch rank)` entries numbered in order, sorts and reads them back.
    fn sorted(start: i64, entries: &[(i64, bool)]) -> Vec<(i64, usize)> {
        let mut t = Timeline::default();
        t.clear(SimTime(start));
        for (k, &(at, launch)) in entries.iter().enumerate() {
            let rank = if launch { Rank::Launch } else { Rank::Later };
            t.put(SimTime(at), rank, k);
        }
        t.sort();
        let mut out = Vec::new();
        while t.next_time() < SimTime::MAX {
            let at = t.next_time();
            out.push((at.0, t.take()));
        }
        out
    }

    /// The order entries must come in: by time, launches first, then as put.
    fn reference(entries: &[(i64, bool)]) -> Vec<(i64, usize)> {
        let mut order: Vec<(i64, bool, usize)> = entries
            .iter()
            .zip(0..)
            .map(|(&(at, launch), k)| (at, !launch, k))
            .collect();
        order.sort_unstable();
        order.into_iter().map(|(at, _, k)| (at, k)).collect()
    }

    proptest! {
        /// Entries spread over hours come out by time, rank and order of putting.
        #[test]
        fn spread_entries_come_in_order(
            start in -1_000_000_000_000i64..1_000_000_000_000,
            offsets in prop::collection::vec((0i64..10_000_000_000_000, any::<bool>()), 0..300),
        ) {
            let entries: Vec<(i64, bool)> =
                offsets.iter().map(|&(dt, launch)| (start + dt, launch)).collect();
            prop_assert_eq!(sorted(start, &entries), reference(&entries));
        }

        /// Entries bunched at a few instants, with one far outlier, fill a few buckets: they
        /// come out in the same order.
        #[test]
        fn bunched_entries_come_in_order(
            offsets in prop::collection::vec((0i64..4, any::<bool>()), 1..300),
            outlier in 1_000_000_000i64..1_000_000_000_000_000,
        ) {
            let mut entries = offsets.clone();
            entries.push((outlier, false));
            prop_assert_eq!(sorted(0, &entries), reference(&entries));
        }
    }

    #[test]
    fn a_cleared_timeline_is_empty_and_reusable() {
        let mut t = Timeline::default();
        t.clear(SimTime(0));
        t.put(SimTime(5), Rank::Later, 'a');
        t.sort();
        t.clear(SimTime(-3));
        t.sort();
        assert_eq!(t.next_time(), SimTime::MAX);
        t.put(SimTime(-1), Rank::Later, 'b');
        t.put(SimTime(-3), Rank::Later, 'c');
        t.put(SimTime(-3), Rank::Launch, 'd');
        t.sort();
        assert_eq!(t.next_time(), SimTime(-3));
        assert_eq!(t.take(), 'd');
        assert_eq!(t.take(), 'c');
        assert_eq!(t.next_time(), SimTime(-1));
        assert_eq!(t.take(), 'b');
        assert_eq!(t.next_time(), SimTime::MAX);
    }
}
