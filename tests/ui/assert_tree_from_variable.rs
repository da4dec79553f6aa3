fn check(dir: &std::path::Path, snapshot: &str) {
    fixtree::assert_tree!(dir, from = snapshot);
}

fn main() {}
