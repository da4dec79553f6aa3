use fixtree::with_tempdir;
use std::path::Path;

struct Suite;

impl Suite {
    #[with_tempdir]
    fn method(&self, dir: &Path) {
        let _ = dir;
    }
}

fn main() {
    // The method is still there, as written: code calling it stays quiet.
    Suite.method(Path::new("."));
}
