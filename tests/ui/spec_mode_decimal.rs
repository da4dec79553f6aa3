use fixtree::{assert_tree, tree, with_tempdir};
use std::path::Path;

#[with_tempdir(files = { "run.sh" => mode(755, "#!/bin/sh\n") })]
fn starts(dir: &Path) {
    let _ = tree! { "bin/run" => mode(0o755, "x"), "lib" => { "a.sh" => mode(644, "y") } };
    assert_tree!(dir, { "run.sh" => mode(755, "#!/bin/sh\n") });
}

fn main() {}
