fn main() {
    let dir = fixtree::tempdir().unwrap();
    fixtree::assert_tree!(dir, {
        "logs" => { "run.log" => contains("done") .. },
    });
}
