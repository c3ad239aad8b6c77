//! The event queue of a replication: a calendar queue.
//!
//! Events are kept in order of time, then of scheduling (a sequence number), so that a run is
//! the same whatever the queue's inner layout. Time never runs backwards in a run: an event is
//! never scheduled before the last one taken. That lets a calendar queue (Brown 1988, "Calendar
//! queues: a fast O(1) priority queue implementation for the simulation event set problem",
//! CACM 31(10)) replace a binary heap: a ring of one-second buckets over the next
//! [`RING_BUCKETS`] seconds, a bitmap of the buckets in use, and a binary heap for the rare
//! events beyond the ring. Scheduling is a push onto a bucket; the bucket being played is sorted
//! once when the clock reaches it.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use skyshield_core::SimTime;

/// Width of a bucket, ns.
const BUCKET_NS: i64 = 1_000_000_000;
/// Buckets in the ring (a power of two): 2^17 s, about 36 hours ahead.
const RING_BUCKETS: usize = 1 << 17;
const WORD_BITS: usize = 64;

/// An entry: time, sequence number, payload.
type Entry<E> = (SimTime, u64, E);

/// A monotone priority queue of events `E` by (time, order of scheduling).
#[derive(Debug)]
pub(crate) struct EventQueue<E> {
    /// Buckets by absolute bucket number modulo [`RING_BUCKETS`].
    ring: Vec<Vec<Entry<E>>>,
    /// A bit per ring bucket holding entries.
    used: Vec<u64>,
    /// Entries in the ring.
    in_ring: usize,
    /// Entries beyond the ring's reach, earliest first.
    far: BinaryHeap<Reverse<FarEntry<E>>>,
    /// Absolute number of the bucket being played; its ring bucket is sorted latest first.
    current: i64,
    seq: u64,
}

/// An entry ordered by time and sequence number only.
#[derive(Debug)]
struct FarEntry<E>(Entry<E>);

impl<E> PartialEq for FarEntry<E> {
    fn eq(&self, other: &Self) -> bool {
        (self.0.0, self.0.1) == (other.0.0, other.0.1)
    }
}

impl<E> Eq for FarEntry<E> {}

impl<E> PartialOrd for FarEntry<E> {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl<E> Ord for FarEntry<E> {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        (self.0.0, self.0.1).cmp(&(other.0.0, other.0.1))
    }
}

impl<E> Default for EventQueue<E> {
    fn default() -> Self {
        Self {
            ring: Vec::new(),
            used: Vec::new(),
            in_ring: 0,
            far: BinaryHeap::new(),
            current: 0,
            seq: 0,
        }
    }
}

fn bucket(t: SimTime) -> i64 {
    t.0.div_euclid(BUCKET_NS)
}

fn slot(bucket: i64) -> usize {
    bucket.rem_euclid(RING_BUCKETS as i64) as usize
}

impl<E: Copy> EventQueue<E> {
    /// Empties the queue; nothing may be scheduled before `start` until the next clear.
    pub(crate) fn clear(&mut self, start: SimTime) {
        if self.ring.is_empty() {
            self.ring.resize_with(RING_BUCKETS, Vec::new);
            self.used.resize(RING_BUCKETS / WORD_BITS, 0);
        }
        if self.in_ring > 0 {
            for (w, word) in self.used.iter_mut().enumerate() {
                let mut bits = *word;
                while bits != 0 {
                    self.ring[w * WORD_BITS + bits.trailing_zeros() as usize].clear();
                    bits &= bits - 1;
                }
                *word = 0;
            }
            self.in_ring = 0;
        }
        self.far.clear();
        self.current = bucket(start);
        self.seq = 0;
    }

    /// Schedules `event` at `at`, after everything already scheduled at the same time. An event
    /// scheduled before the last one taken is taken next, as the earliest.
    pub(crate) fn push(&mut self, at: SimTime, event: E) {
        self.seq += 1;
        let entry = (at, self.seq, event);
        let b = bucket(at).max(self.current);
        if b - self.current >= RING_BUCKETS as i64 {
            self.far.push(Reverse(FarEntry(entry)));
            return;
        }
        let s = slot(b);
        let items = &mut self.ring[s];
        if b == self.current {
            // The bucket being played stays sorted, latest first.
            let at_key = (at, self.seq);
            let k = items.partition_point(|e| (e.0, e.1) > at_key);
            items.insert(k, entry);
        } else {
            items.push(entry);
        }
        self.used[s / WORD_BITS] |= 1 << (s % WORD_BITS);
        self.in_ring += 1;
    }

    /// Takes the earliest event.
    pub(crate) fn pop(&mut self) -> Option<(SimTime, E)> {
        loop {
            let s = slot(self.current);
            if let Some((t, _, event)) = self.ring[s].pop() {
                self.in_ring -= 1;
                if self.ring[s].is_empty() {
                    self.used[s / WORD_BITS] &= !(1 << (s % WORD_BITS));
                }
                return Some((t, event));
            }
            let next_ring = self.next_used_bucket();
            let next_far = self.far.peek().map(|Reverse(FarEntry(e))| bucket(e.0));
            self.current = match (next_ring, next_far) {
                (Some(r), Some(f)) => r.min(f),
                (Some(r), None) => r,
                (None, Some(f)) => f,
                (None, None) => return None,
            };
            while let Some(Reverse(FarEntry(e))) = self.far.peek()
                && bucket(e.0) - self.current < RING_BUCKETS as i64
            {
                let entry = *e;
                self.far.pop();
                let s = slot(bucket(entry.0));
                self.ring[s].push(entry);
                self.used[s / WORD_BITS] |= 1 << (s % WORD_BITS);
                self.in_ring += 1;
            }
            self.ring[slot(self.current)].sort_unstable_by_key(|e| Reverse((e.0, e.1)));
        }
    }

    /// The absolute number of the first bucket after the current one that holds entries.
    fn next_used_bucket(&self) -> Option<i64> {
        if self.in_ring == 0 {
            return None;
        }
        let start = slot(self.current);
        let words = self.used.len();
        // Bits after `start` in its own word, then the following words, wrapping round once.
        for k in 0..=words {
            let w = (start / WORD_BITS + k) % words;
            let mut bits = self.used[w];
            if k == 0 {
                let shift = start % WORD_BITS + 1;
                bits = if shift == WORD_BITS {
                    0
                } else {
                    bits & (!0u64 << shift)
                };
            } else if k == words {
                bits &= (1u64 << (start % WORD_BITS)).wrapping_sub(1);
            }
            if bits != 0 {
                let s = w * WORD_BITS + bits.trailing_zeros() as usize;
                let ahead = (s + RING_BUCKETS - start) % RING_BUCKETS;
                return Some(self.current + ahead as i64);
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// Whatever is scheduled, events come out in order of time, then of scheduling, as
        /// from a sorted list, including events scheduled while others are taken.
        #[test]
        fn events_come_in_time_then_scheduling_order(
            first in prop::collection::vec(-5_000_000_000_000i64..5_000_000_000_000, 1..60),
            later in prop::collection::vec((0i64..400_000_000_000_000, 0usize..3), 0..200),
        ) {
            let mut q = EventQueue::default();
            let start = *first.iter().min().unwrap();
            q.clear(SimTime(start));
            let mut reference: Vec<(i64, u64)> = Vec::new();
            let mut seq = 0u64;
            for &t in &first {
                seq += 1;
                q.push(SimTime(t), seq);
                reference.push((t, seq));
            }
            let mut later = later.into_iter();
            while let Some((t, id)) = q.pop() {
                reference.sort_unstable();
                let expected = reference.remove(0);
                prop_assert_eq!((t.0, id), expected);
                // Schedule a few more from the current time: now, soon, or far ahead.
                if let Some((dt, kind)) = later.next() {
                    let at = t.0 + match kind { 0 => 0, 1 => dt % 5_000_000_000, _ => dt };
                    seq += 1;
                    q.push(SimTime(at), seq);
                    reference.push((at, seq));
                }
            }
            prop_assert!(reference.is_empty());
        }
    }

    #[test]
    fn a_cleared_queue_is_empty_and_reusable() {
        let mut q = EventQueue::default();
        q.clear(SimTime(0));
        q.push(SimTime(3), 'a');
        q.push(SimTime(1 << 50), 'b');
        q.clear(SimTime(-10));
        assert_eq!(q.pop(), None);
        q.push(SimTime(-10), 'c');
        q.push(SimTime(-10), 'd');
        assert_eq!(q.pop(), Some((SimTime(-10), 'c')));
        assert_eq!(q.pop(), Some((SimTime(-10), 'd')));
        assert_eq!(q.pop(), None);
    }
}
