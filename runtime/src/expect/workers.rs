//! A large tree compared on several cores: the walk lists both sides and
//! hands each pair of files of equal size to worker threads, which compare
//! their bytes meanwhile. Only whether everything is equal comes back: a
//! comparison that fails is walked again in one thread, for a report in
//! order (and a failure costs its report anyway).
//!
//! Small trees, and machines with few cores, compare in the calling thread.
//! Measured on 2 shared cores (load 5 to 6), a second thread cost half as
//! much CPU again and lost wall time, at 1,000 and at 10,000 files: once a
//! process has two threads, every call on a descriptor takes a reference
//! atomically (the descriptor table is shared) and opens and closes contend
//! for the table's lock, while the work per file is a handful of such calls.
//! And `cargo test` already runs tests on every core.

use std::num::NonZeroUsize;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver, SyncSender};
use std::sync::{Arc, Mutex, OnceLock, PoisonError};
use std::{io, mem, thread};

use super::compare::{Options, equal_walk};
use super::contents::{Buffers, Contents, Source, StoredDirs};
use super::root::LazyRoot;
use super::{Expect, ExpectedTree, LineEndings};
use crate::spec::Matcher;
use crate::sys::Dir;
use crate::walk::Walk;

/// Files from which a tree is compared on several cores. Below that, the
/// threads' start and the shared descriptor table outweigh what they save.
pub(crate) const PARALLEL_FILES: usize = 1024;
/// Cores from which workers are started: with fewer, the walk competes
/// with its own workers and with the other tests.
const PARALLEL_CORES: usize = 4;
/// Threads beside the walk (fewer than `PARALLEL_CORES`): the machines
/// tests run on are often shared, and two readers already keep a disk or
/// the page cache busy.
const WORKERS: usize = 2;
/// Files handed over at once: one hand-over costs about what a file does.
const BATCH: usize = 32;
/// Batches waiting at most. Each holds open descriptors of the directories
/// of its files: a bound on them, and on the walk running ahead.
const QUEUED: usize = 4;

/// How many workers to compare `expected` with, if any.
pub(crate) fn wanted(expected: &ExpectedTree) -> Option<usize> {
    static CORES: OnceLock<usize> = OnceLock::new();
    let cores = *CORES.get_or_init(|| thread::available_parallelism().map_or(1, NonZeroUsize::get));
    (cores >= PARALLEL_CORES && files_at_least(expected, PARALLEL_FILES)).then_some(WORKERS)
}

/// Whether `expected` names at least `n` files to read.
fn files_at_least(expected: &ExpectedTree, n: usize) -> bool {
    expected
        .leaves()
        .filter(|leaf| {
            matches!(
                leaf,
                Expect::File { .. } | Expect::Matcher(Matcher::Contains(_) | Matcher::Matches(_))
            )
        })
        .nth(n.saturating_sub(1))
        .is_some()
}

/// Whether `dir` holds what `expected` says, its files compared by
/// `workers` threads beside the walk, and by the calling thread once the
/// walk is done. `false` as soon as anything differs or cannot be read,
/// or if the system starts no thread.
pub(crate) fn all_equal(
    dir: &Path,
    expected: &ExpectedTree,
    options: &Options,
    root: &LazyRoot<'_>,
    workers: usize,
) -> bool {
    let failed = AtomicBool::new(false);
    let (sender, receiver) = mpsc::sync_channel(QUEUED);
    let jobs = Mutex::new(receiver);
    thread::scope(|scope| {
        let started = (0..workers)
            .filter(|_| {
                thread::Builder::new()
                    .spawn_scoped(scope, || work(&jobs, &failed))
                    .is_ok()
            })
            .count();
        if started == 0 {
            // No thread to take the batches, which would fill the queue
            // and stop the walk: the caller compares alone.
            return false;
        }
        let mut queue = Queue {
            sender,
            batch: Vec::with_capacity(BATCH),
            here: None,
            failed: &failed,
        };
        let walked = equal_walk(dir, expected, options, root, &mut queue);
        queue.finish();
        work(&jobs, &failed);
        // Read once the scope has joined the workers: one may still be
        // comparing the last batch it took.
        matches!(walked, Ok(true))
    }) && !failed.load(Ordering::Relaxed)
}

/// Compares the files of each batch until there are no more; after a
/// difference, only takes the batches, so that the walk is not held up.
fn work(jobs: &Mutex<Receiver<Vec<Job<'_>>>>, failed: &AtomicBool) {
    let mut buffers = Buffers::default();
    let mut stored = StoredDirs::default();
    loop {
        let batch = jobs.lock().unwrap_or_else(PoisonError::into_inner).recv();
        let Ok(batch) = batch else { return };
        for job in batch {
            if failed.load(Ordering::Relaxed) {
                break;
            }
            if !job.same(&mut buffers, &mut stored).unwrap_or(false) {
                failed.store(true, Ordering::Relaxed);
            }
        }
    }
}

/// A file of the directory and the bytes expected of it.
struct Job<'e> {
    dir: Arc<Dir>,
    name: String,
    len: u64,
    expected: &'e Contents,
    line_endings: LineEndings,
}

impl Job<'_> {
    fn same(&self, buffers: &mut Buffers, stored: &mut StoredDirs) -> io::Result<bool> {
        let expected = stored.source(self.expected, &self.name)?;
        // Where the file is only matters to the report, which another walk makes.
        let actual = Source::File {
            dir: &self.dir,
            at: Path::new(""),
            name: &self.name,
            len: self.len,
        };
        Ok(buffers
            .first_difference(expected, actual, self.line_endings)?
            .is_none())
    }
}

/// Where the walk hands files over.
pub(crate) struct Queue<'q, 'e> {
    /// Dropped with the queue once the walk is done, which tells the workers.
    sender: SyncSender<Vec<Job<'e>>>,
    batch: Vec<Job<'e>>,
    /// The directory the walk is in, shared by the jobs of its files.
    here: Option<Arc<Dir>>,
    failed: &'q AtomicBool,
}

impl<'e> Queue<'_, 'e> {
    /// Hands over the file `name` of the directory `walk` is in, `len`
    /// bytes long, to be compared with `expected`.
    pub(crate) fn push(
        &mut self,
        walk: &Walk,
        name: &str,
        len: u64,
        expected: &'e Contents,
        line_endings: LineEndings,
    ) -> io::Result<()> {
        let dir = match &self.here {
            Some(dir) => Arc::clone(dir),
            None => Arc::clone(self.here.insert(Arc::new(walk.dir().try_clone()?))),
        };
        self.batch.push(Job {
            dir,
            name: name.to_owned(),
            len,
            expected,
            line_endings,
        });
        if self.batch.len() == BATCH {
            self.send();
        }
        Ok(())
    }

    /// The walk left the directory it was in.
    pub(crate) fn moved(&mut self) {
        self.here = None;
    }

    /// Whether a worker found a difference: the walk can stop.
    pub(crate) fn failed(&self) -> bool {
        self.failed.load(Ordering::Relaxed)
    }

    fn send(&mut self) {
        let batch = mem::replace(&mut self.batch, Vec::with_capacity(BATCH));
        // The receiver lives as long as the comparison: sending cannot fail.
        let _ = self.sender.send(batch);
    }

    /// Hands over what is left, and tells the workers that is all (by
    /// dropping the sender).
    fn finish(mut self) {
        self.send();
    }
}

#[cfg(test)]
mod tests {
    use std::fs;
    use std::path::Path;

    use super::{all_equal, files_at_least};
    use crate::expect::compare::Options;
    use crate::expect::root::LazyRoot;
    use crate::{ExpectedTree, Tree, check_tree};

    /// 300 files, ten to a directory: ten batches.
    fn large(line_end: &str) -> Tree {
        (0..300)
            .try_fold(Tree::new(), |tree, i| {
                let key = format!("d{}/f{i:04}.txt", i / 10);
                tree.with(&key, format!("file {i}{line_end}text{line_end}"))
            })
            .unwrap()
    }

    fn written(tree: &Tree) -> crate::TempDir {
        let dir = crate::tempdir().unwrap();
        tree.write_to(dir.path()).unwrap();
        dir
    }

    /// Whether the workers find `dir` equal to the snapshot folder `folder`.
    fn equal_on_workers(dir: &Path, folder: &Path) -> bool {
        let expected = ExpectedTree::from_snapshot(folder).unwrap();
        let options = Options::new(Vec::new(), String::new()).unwrap();
        all_equal(dir, &expected, &options, &LazyRoot::new(dir), 2)
    }

    #[test]
    fn workers_find_equal_trees_equal_and_any_one_difference() {
        let (dir, folder) = (written(&large("\n")), written(&large("\n")));
        let expected = ExpectedTree::from_snapshot(folder.path()).unwrap();
        assert!(files_at_least(&expected, 300) && !files_at_least(&expected, 301));
        assert!(equal_on_workers(dir.path(), folder.path()));
        // Other line endings in the folder, as git on Windows checks it out.
        assert!(equal_on_workers(dir.path(), written(&large("\r\n")).path()));

        let last = dir.path().join("d29/f0299.txt");
        let contents = fs::read(&last).unwrap();
        let mut same_size = contents.clone();
        *same_size.last_mut().unwrap() = b'!';
        for changed in [same_size, b"other size".to_vec()] {
            fs::write(&last, &changed).unwrap();
            assert!(!equal_on_workers(dir.path(), folder.path()));
        }
        fs::write(&last, &contents).unwrap();
        fs::remove_file(dir.path().join("d0/f0000.txt")).unwrap();
        assert!(!equal_on_workers(dir.path(), folder.path()));
    }

    #[test]
    fn a_large_tree_that_differs_is_reported_in_full_and_in_order() {
        let (dir, folder) = (written(&large("\n")), written(&large("\n")));
        fs::write(dir.path().join("d3/f0031.txt"), "file 31\ntexT\n").unwrap();
        fs::write(dir.path().join("d20/f0200.txt"), "longer than it was\n").unwrap();
        let expected = ExpectedTree::from_snapshot(folder.path()).unwrap();
        let diff = check_tree(dir.path(), &expected).unwrap_err();
        assert_eq!(
            diff.paths().collect::<Vec<_>>(),
            ["d20/f0200.txt", "d3/f0031.txt"]
        );
        let report = diff.to_string();
        assert!(report.contains("+texT"), "{report}");
        assert!(report.contains("+longer than it was"), "{report}");
    }
}
