//! Chunks of runs played on a thread pool and merged in chunk order.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Condvar, Mutex, MutexGuard, mpsc};
use std::time::{Duration, Instant};

/// How many chunks past the oldest one not yet merged a thread may start: the summaries
/// waiting for their turn to be merged, and so the memory of a batch, stay bounded.
const LEAD_CHUNKS: u64 = 64;

/// How often the results of merged chunks are handed to the calling thread at most. Waking a
/// sleeping thread costs up to a tenth of a millisecond on a virtual machine, more than a
/// chunk of fast runs takes.
const HAND_OVER: Duration = Duration::from_millis(50);

/// The ordered merge of the results of chunks, shared by the threads of [`ordered_chunks`].
struct Merge<A, M, R> {
    merge: M,
    /// Results of chunks done past `merged`, waiting for their turn.
    waiting: BTreeMap<u64, A>,
    /// Chunks merged: `0..merged`.
    merged: u64,
    /// What `merge` gave for the chunks merged since the last hand-over (with the count of
    /// chunks merged after each), and when that was.
    unsent: Vec<(u64, R)>,
    sent_at: Instant,
    /// Threads waiting for their turn to start a chunk.
    waiters: usize,
    /// A thread panicked: the others stop instead of waiting for its chunk.
    stopped: bool,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// Stops the others if the thread holding it panics, so that none waits for a chunk that will
/// never be merged.
struct StopOnPanic<'a, A, M, R> {
    shared: &'a Mutex<Merge<A, M, R>>,
    turn: &'a Condvar,
}

impl<A, M, R> Drop for StopOnPanic<'_, A, M, R> {
    fn drop(&mut self) {
        if std::thread::panicking() {
            lock(self.shared).stopped = true;
            self.turn.notify_all();
        }
    }
}

/// Plays chunks `0..chunks` with `play` on every thread of `pool`, each thread keeping its own
/// state from `state` across its chunks, and hands their results to `merge` in chunk order.
/// `progress` hears, on the calling thread and in chunk order, how many chunks are merged and
/// what `merge` gave for the last one, at most every [`HAND_OVER`] until the last.
///
/// Threads take the next chunk as they come free, with no barrier: a thread waits only when
/// it would start a chunk [`LEAD_CHUNKS`] past the oldest one not yet merged, so the results
/// held back for their turn stay bounded. When `play` gives `None`, every thread stops at its
/// next chunk and the chunks after the last one merged are dropped. A panic in `play` reaches
/// the caller.
pub(crate) fn ordered_chunks<S, A: Send, R: Send>(
    pool: &rayon::ThreadPool,
    chunks: u64,
    state: impl Fn() -> S + Sync,
    play: impl Fn(&mut S, u64) -> Option<A> + Sync,
    merge: impl FnMut(A) -> R + Send,
    progress: &mut dyn FnMut(u64, R),
) {
    let next_chunk = AtomicU64::new(0);
    let shared = Mutex::new(Merge {
        merge,
        waiting: BTreeMap::new(),
        merged: 0,
        unsent: Vec::new(),
        sent_at: Instant::now(),
        waiters: 0,
        stopped: false,
    });
    let turn = Condvar::new();
    let (merged_tx, merged_rx) = mpsc::channel();
    pool.in_place_scope(|scope| {
        for _ in 0..pool.current_num_threads() {
            let merged_tx = merged_tx.clone();
            let (next_chunk, shared, turn, state, play) =
                (&next_chunk, &shared, &turn, &state, &play);
            scope.spawn(move |_| {
                let _stop = StopOnPanic { shared, turn };
                let mut s = state();
                loop {
                    let c = next_chunk.fetch_add(1, Ordering::Relaxed);
                    if c >= chunks {
                        return;
                    }
                    let mut m = lock(shared);
                    while c >= m.merged + LEAD_CHUNKS && !m.stopped {
                        m.waiters += 1;
                        m = turn.wait(m).unwrap_or_else(|e| e.into_inner());
                        m.waiters -= 1;
                    }
                    if m.stopped {
                        return;
                    }
                    drop(m);
                    let Some(result) = play(&mut s, c) else {
                        lock(shared).stopped = true;
                        turn.notify_all();
                        return;
                    };
                    let mut guard = lock(shared);
                    let m = &mut *guard;
                    if m.stopped {
                        return;
                    }
                    m.waiting.insert(c, result);
                    let before = m.merged;
                    while let Some(result) = m.waiting.remove(&m.merged) {
                        let merged = (m.merge)(result);
                        m.merged += 1;
                        m.unsent.push((m.merged, merged));
                    }
                    if m.merged > before {
                        if m.sent_at.elapsed() >= HAND_OVER {
                            // Sent under the lock, so counts arrive in increasing order; the
                            // receiver lives until the last sender is gone.
                            let _ = merged_tx.send(std::mem::take(&mut m.unsent));
                            m.sent_at = Instant::now();
                        }
                        if m.waiters > 0 {
                            turn.notify_all();
                        }
                    }
                }
            });
        }
        drop(merged_tx);
        for results in merged_rx {
            for (merged, result) in results {
                progress(merged, result);
            }
        }
    });
    // What was merged since the last hand-over.
    let unsent = std::mem::take(&mut lock(&shared).unsent);
    for (merged, result) in unsent {
        progress(merged, result);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pool(threads: usize) -> rayon::ThreadPool {
        rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .expect("thread pool")
    }

    /// Chunks that take uneven times still reach `merge` in chunk order, each once, and
    /// progress counts up to the last chunk.
    #[test]
    fn chunks_merge_in_order_whatever_their_times() {
        for threads in [1, 2, 4] {
            let states = AtomicU64::new(0);
            let mut merged = Vec::new();
            let mut seen = Vec::new();
            ordered_chunks(
                &pool(threads),
                300,
                || states.fetch_add(1, Ordering::Relaxed),
                |_, c| {
                    // Up to 0.3 ms, scrambled over the chunks.
                    std::thread::sleep(Duration::from_micros(c * 7919 % 300));
                    Some(c)
                },
                |c| merged.push(c),
                &mut |m, ()| seen.push(m),
            );
            assert_eq!(merged, (0..300).collect::<Vec<_>>(), "{threads} threads");
            assert!(seen.windows(2).all(|w| w[0] < w[1]), "{seen:?}");
            assert_eq!(seen.last(), Some(&300));
            assert_eq!(states.load(Ordering::Relaxed), threads as u64);
        }
    }

    /// Plays chunk 0 slowly: it ends only once the other threads have started every chunk
    /// up to the lead bound (or after 10 s), and 50 ms later, time they would take to go past
    /// the bound if nothing held them. `started` is the largest chunk started.
    fn slow_first_chunk(c: u64, started: &AtomicU64) {
        started.fetch_max(c, Ordering::SeqCst);
        if c == 0 {
            let give_up = Instant::now() + Duration::from_secs(10);
            while started.load(Ordering::SeqCst) < LEAD_CHUNKS - 1 && Instant::now() < give_up {
                std::thread::sleep(Duration::from_millis(1));
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// While chunk 0 is slow, the other threads start chunks up to, and not past, the bound.
    #[test]
    fn threads_wait_for_a_slow_chunk_at_the_lead_bound() {
        let (started, merged, lead) = (AtomicU64::new(0), AtomicU64::new(0), AtomicU64::new(0));
        ordered_chunks(
            &pool(3),
            4 * LEAD_CHUNKS,
            || (),
            |_, c| {
                lead.fetch_max(c - merged.load(Ordering::SeqCst), Ordering::SeqCst);
                slow_first_chunk(c, &started);
                Some(())
            },
            |()| {
                merged.fetch_add(1, Ordering::SeqCst);
            },
            &mut |_, ()| {},
        );
        assert_eq!(merged.load(Ordering::SeqCst), 4 * LEAD_CHUNKS);
        assert_eq!(lead.load(Ordering::SeqCst), LEAD_CHUNKS - 1);
    }

    /// A panic in one chunk reaches the caller; the threads waiting for that chunk to be
    /// merged stop instead of waiting for ever.
    #[test]
    fn a_panic_in_a_chunk_reaches_the_caller() {
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let started = AtomicU64::new(0);
            let result = std::panic::catch_unwind(|| {
                ordered_chunks(
                    &pool(2),
                    4 * LEAD_CHUNKS,
                    || (),
                    |_, c| {
                        slow_first_chunk(c, &started);
                        assert!(c != 0, "chunk 0 fails");
                        Some(())
                    },
                    |()| {},
                    &mut |_, ()| {},
                );
            });
            let _ = tx.send(result.is_err());
        });
        let panicked = rx
            .recv_timeout(Duration::from_secs(60))
            .expect("the batch ends");
        assert!(panicked);
    }
}
