//! The event queue of a replication: a calendar queue.
//!
//! Events are kept in order of time, then of scheduling, so that a run is the same whatever
//! the queue's inner layout. Time never runs backwards in a run: an event is never scheduled
//! before the last one taken. That lets a calendar queue (Brown 1988, "Calendar queues: a fast
//! O(1) priority queue implementation for the simulation event set problem", CACM 31(10))
//! replace a binary heap: a ring of [`RING_BUCKETS`] buckets of about a second each, each
//! bucket in use holding its entries in a vector of its own (the vectors are kept for reuse), a
//! bitmap of the buckets in use, and a binary heap for the rare events beyond the ring.
//! Scheduling appends to a bucket's vector, so its entries are in order of scheduling; the
//! bucket being played is sorted by time once when the clock reaches it, by a stable sort,
//! which keeps that order among entries of the same time. Only the heap, which does not keep
//! it, numbers its entries.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use skyshield_core::SimTime;

/// Width of a bucket: 2^30 ns, about one second (a power of two, so that a time's bucket is a
/// shift).
const BUCKET_BITS: u32 = 30;
/// Buckets in the ring (a power of two): 2^17 buckets, about 39 hours ahead.
const RING_BUCKETS: usize = 1 << 17;
const WORD_BITS: usize = 64;
/// No vector: a bucket not in use.
const NIL: u32 = u32::MAX;

/// An entry: time, payload.
type Entry<E> = (SimTime, E);

/// A monotone priority queue of events `E` by (time, order of scheduling).
#[derive(Debug)]
pub(crate) struct EventQueue<E> {
    /// Per ring bucket (by absolute bucket number modulo [`RING_BUCKETS`]), the index in
    /// `lists` of its entries, or [`NIL`].
    heads: Vec<u32>,
    /// Entries of the buckets in use, in order of scheduling; and vectors not in use.
    lists: Vec<Vec<Entry<E>>>,
    spare: Vec<u32>,
    /// A bit per ring bucket in use, and their number (the bucket being played aside).
    used: Vec<u64>,
    in_ring: usize,
    /// The entries of the bucket being played, in order; those before `next` are taken.
    current: Vec<Entry<E>>,
    next: usize,
    /// Absolute number of the bucket being played, and of the next holding entries (in the
    /// ring or beyond it; `i64::MAX`: none).
    bucket: i64,
    upcoming: i64,
    /// Entries beyond the ring's reach, earliest first.
    far: BinaryHeap<Reverse<FarEntry<E>>>,
    /// Entries put in `far` so far.
    far_seq: u64,
}

/// An entry beyond the ring, with its number in order of scheduling; ordered by time and
/// number only.
#[derive(Debug)]
struct FarEntry<E>(Entry<E>, u64);

impl<E> PartialEq for FarEntry<E> {
    fn eq(&self, other: &Self) -> bool {
        (self.0.0, self.1) == (other.0.0, other.1)
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
        (self.0.0, self.1).cmp(&(other.0.0, other.1))
    }
}

impl<E> Default for EventQueue<E> {
    fn default() -> Self {
        Self {
            heads: Vec::new(),
            lists: Vec::new(),
            spare: Vec::new(),
            used: Vec::new(),
            in_ring: 0,
            current: Vec::new(),
            next: 0,
            bucket: 0,
            upcoming: i64::MAX,
            far: BinaryHeap::new(),
            far_seq: 0,
        }
    }
}

fn bucket(t: SimTime) -> i64 {
    // An arithmetic shift rounds towards minus infinity, negative times included.
    t.0 >> BUCKET_BITS
}

fn slot(bucket: i64) -> usize {
    (bucket as usize) & (RING_BUCKETS - 1)
}

impl<E: Copy> EventQueue<E> {
    /// Empties the queue; nothing may be scheduled before `start` until the next clear.
    pub(crate) fn clear(&mut self, start: SimTime) {
        if self.heads.is_empty() {
            self.heads.resize(RING_BUCKETS, NIL);
            self.used.resize(RING_BUCKETS / WORD_BITS, 0);
        }
        if self.in_ring > 0 {
            for (w, word) in self.used.iter_mut().enumerate() {
                let mut bits = *word;
                while bits != 0 {
                    let s = w * WORD_BITS + bits.trailing_zeros() as usize;
                    let list = std::mem::replace(&mut self.heads[s], NIL);
                    self.lists[list as usize].clear();
                    self.spare.push(list);
                    bits &= bits - 1;
                }
                *word = 0;
            }
            self.in_ring = 0;
        }
        self.current.clear();
        self.next = 0;
        self.far.clear();
        self.bucket = bucket(start);
        self.upcoming = i64::MAX;
        self.far_seq = 0;
    }

    /// Schedules `event` at `at`, after everything already scheduled at the same time. An event
    /// scheduled before the bucket being played is taken in order among that bucket's.
    pub(crate) fn push(&mut self, at: SimTime, event: E) {
        let entry = (at, event);
        let b = bucket(at).max(self.bucket);
        if b == self.bucket {
            // After every entry at its time or earlier (all scheduled before it), most often
            // at the end.
            if self.current.last().is_none_or(|e| e.0 <= at) {
                self.current.push(entry);
            } else {
                let k = self.next + self.current[self.next..].partition_point(|e| e.0 <= at);
                self.current.insert(k, entry);
            }
        } else {
            self.upcoming = self.upcoming.min(b);
            if b - self.bucket < RING_BUCKETS as i64 {
                self.append(slot(b), entry);
            } else {
                self.far_seq += 1;
                self.far.push(Reverse(FarEntry(entry, self.far_seq)));
            }
        }
    }

    fn append(&mut self, s: usize, entry: Entry<E>) {
        if self.heads[s] == NIL {
            self.heads[s] = self.spare.pop().unwrap_or_else(|| {
                self.lists.push(Vec::new());
                (self.lists.len() - 1) as u32
            });
            self.used[s / WORD_BITS] |= 1 << (s % WORD_BITS);
            self.in_ring += 1;
        }
        self.lists[self.heads[s] as usize].push(entry);
    }

    /// Takes the earliest event if it comes at or before `limit`. The queue moves on to a later
    /// bucket only when that bucket starts at or before `limit`: until the clock passes
    /// `limit`, events scheduled from then on still go to their own buckets.
    #[inline]
    pub(crate) fn pop_until(&mut self, limit: SimTime) -> Option<(SimTime, E)> {
        if self.next == self.current.len() {
            if self.upcoming > bucket(limit) {
                return None;
            }
            self.advance(self.upcoming);
        }
        let &(t, event) = self.current.get(self.next)?;
        if t > limit {
            return None;
        }
        self.next += 1;
        Some((t, event))
    }

    /// Moves on to bucket `next`, the next holding entries, and sorts it.
    #[inline(never)]
    fn advance(&mut self, next: i64) {
        self.bucket = next;
        while let Some(Reverse(FarEntry(e, _))) = self.far.peek()
            && bucket(e.0) - self.bucket < RING_BUCKETS as i64
        {
            let entry = *e;
            self.far.pop();
            self.append(slot(bucket(entry.0)), entry);
        }
        let s = slot(self.bucket);
        let list = std::mem::replace(&mut self.heads[s], NIL);
        self.used[s / WORD_BITS] &= !(1 << (s % WORD_BITS));
        self.in_ring -= 1;
        self.current.clear();
        self.next = 0;
        std::mem::swap(&mut self.current, &mut self.lists[list as usize]);
        self.spare.push(list);
        self.current.sort_by_key(|e| e.0);
        let next_far = self
            .far
            .peek()
            .map_or(i64::MAX, |Reverse(FarEntry(e, _))| bucket(e.0));
        self.upcoming = self
            .next_used_bucket()
            .map_or(next_far, |r| r.min(next_far));
    }

    /// The absolute number of the first bucket after the current one that holds entries.
    fn next_used_bucket(&self) -> Option<i64> {
        if self.in_ring == 0 {
            return None;
        }
        let start = slot(self.bucket);
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
                return Some(self.bucket + ahead as i64);
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
        /// from a sorted list, none past the limit asked for, including events scheduled while
        /// others are taken and after looks that found nothing due.
        #[test]
        fn events_come_in_time_then_scheduling_order(
            first in prop::collection::vec(-5_000_000_000_000i64..5_000_000_000_000, 1..60),
            later in prop::collection::vec(
                (0i64..400_000_000_000_000, 0usize..3, 0i64..3_000_000_000),
                0..200,
            ),
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
            let mut now = start;
            let mut later = later.into_iter();
            loop {
                let step = later.next();
                // A look up to a moment ahead (to the end once nothing more is scheduled).
                let limit = step.map_or(SimTime::MAX, |(_, _, ahead)| SimTime(now + ahead));
                reference.sort_unstable();
                let expected = reference.first().copied().filter(|&(t, _)| t <= limit.0);
                let taken = q.pop_until(limit);
                prop_assert_eq!(taken.map(|(t, id)| (t.0, id)), expected);
                match (taken, step) {
                    (Some((t, _)), _) => {
                        reference.remove(0);
                        now = t.0;
                    }
                    // Nothing due: the clock moves on to the limit.
                    (None, Some(_)) => now = limit.0,
                    (None, None) => break,
                }
                // Schedule more from the current time: now, soon, or far ahead.
                if let Some((dt, kind, _)) = step {
                    let at = now + match kind { 0 => 0, 2 => dt, _ => dt % 5_000_000_000 };
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
        assert_eq!(q.pop_until(SimTime::MAX), None);
        q.push(SimTime(-10), 'c');
        q.push(SimTime(-10), 'd');
        assert_eq!(q.pop_until(SimTime(-11)), None);
        assert_eq!(q.pop_until(SimTime::MAX), Some((SimTime(-10), 'c')));
        assert_eq!(q.pop_until(SimTime(-10)), Some((SimTime(-10), 'd')));
        assert_eq!(q.pop_until(SimTime::MAX), None);
    }

    /// The time `ns` nanoseconds into bucket `bucket`.
    fn at(bucket: i64, ns: i64) -> SimTime {
        SimTime((bucket << BUCKET_BITS) + ns)
    }

    /// Every entry of `q`, in the order taken.
    fn drain<E: Copy>(q: &mut EventQueue<E>) -> Vec<(SimTime, E)> {
        std::iter::from_fn(|| q.pop_until(SimTime::MAX)).collect()
    }

    /// Entries left in the ring's buckets (over several words of its bitmap) are gone after a
    /// clear, and the same buckets take new entries, which alone come out.
    #[test]
    fn a_cleared_queue_forgets_the_entries_left_in_its_ring() {
        let buckets = [1, 2, 63, 64, 65, 200, 5_000];
        let mut q = EventQueue::default();
        q.clear(SimTime(0));
        for (k, &b) in buckets.iter().enumerate() {
            q.push(at(b, 7), k);
        }
        // Bucket 1 is played, the others left in the ring.
        assert_eq!(q.pop_until(at(1, 7)), Some((at(1, 7), 0)));
        q.clear(SimTime(0));
        assert_eq!(q.pop_until(SimTime::MAX), None);
        for (k, &b) in buckets.iter().enumerate().skip(2) {
            q.push(at(b, 3), 100 + k);
        }
        let expected: Vec<_> = (2..buckets.len())
            .map(|k| (at(buckets[k], 3), 100 + k))
            .collect();
        assert_eq!(drain(&mut q), expected);
    }

    /// Entries exactly the ring's length of buckets ahead, when scheduled (`r`) or once the
    /// clock has moved on (`b`, a ring ahead of bucket 5), and entries beyond the ring at one
    /// time (in order of scheduling) each come out in turn.
    #[test]
    fn entries_at_and_beyond_the_rings_reach_come_out_in_turn() {
        let ring = RING_BUCKETS as i64;
        let mut q = EventQueue::default();
        q.clear(SimTime(0));
        for (t, e) in [
            (at(ring, 0), 'r'),
            (at(2 * ring + 5, 0), 'x'),
            (at(ring - 1, 0), 'q'),
            (at(ring + 5, 0), 'b'),
            (at(2 * ring + 5, 0), 'y'),
            (at(5, 0), 'a'),
            (at(2 * ring + 5, 0), 'z'),
        ] {
            q.push(t, e);
        }
        let order: String = drain(&mut q).iter().map(|&(_, e)| e).collect();
        assert_eq!(order, "aqrbxyz");
    }

    /// The search for the next bucket in use wraps round the ring: an entry nearly the ring's
    /// length ahead, in a bucket below the one played in the same word of the bitmap, is found.
    #[test]
    fn the_next_bucket_in_use_is_found_round_the_ring() {
        let ring = RING_BUCKETS as i64;
        let mut q = EventQueue::default();
        q.clear(SimTime(0));
        q.push(at(5, 0), 'a');
        // Beyond the ring from bucket 0, within it (in slot 2) from bucket 5.
        q.push(at(ring + 2, 0), 'c');
        assert_eq!(drain(&mut q), [(at(5, 0), 'a'), (at(ring + 2, 0), 'c')]);
    }
}
