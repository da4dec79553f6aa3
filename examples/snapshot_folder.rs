//! A directory filled from a snapshot folder, changed as a program under test
//! would change it, then compared with another snapshot folder and with an
//! inline spec: `cargo run --example snapshot_folder`.
//!
//! In a test, `#[with_tempdir(from = "tests/fixtures/project")]` makes and
//! fills the directory; here `copy_snapshot` does, as a helper could.

use std::error::Error;
use std::path::Path;

use fixtree::{ExpectedTree, Tree, assert_tree, check_tree};

/// The program under test: writes the names of `in.csv`, upper-cased if
/// `config/settings.toml` says so, into `out/names.txt`, and logs it.
fn convert(dir: &Path, break_it: bool) -> std::io::Result<()> {
    let upper = std::fs::read_to_string(dir.join("config/settings.toml"))?.contains("upper = true");
    let csv = std::fs::read_to_string(dir.join("in.csv"))?;
    let mut names = String::new();
    for (row, line) in csv.lines().skip(1).enumerate() {
        let name = line.split(',').nth(1).unwrap_or_default();
        let shout = upper && !(break_it && row == 1);
        names += &format!(
            "{}\n",
            if shout {
                name.to_uppercase()
            } else {
                name.to_owned()
            }
        );
    }
    std::fs::write(dir.join("out/names.txt"), &names)?;
    std::fs::write(
        dir.join("out/run.log"),
        format!("{} rows\n", names.lines().count()),
    )
}

fn main() -> Result<(), Box<dyn Error>> {
    let crate_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = fixtree::tempdir()?;

    // The folder's files, modes and empty directories (`out/` holds only a
    // `.keep` marker in git, which is not copied).
    fixtree::copy_snapshot(crate_dir.join("fixtures/project"), &dir)?;
    println!(
        "copied examples/fixtures/project into {}:",
        dir.path().display()
    );
    println!("{:#}", Tree::read(&dir)?);

    convert(dir.path(), false)?;
    println!(
        "\nran the program: it wrote {:#}",
        Tree::read(dir.path().join("out"))?
    );

    // The expected tree as a snapshot folder, relative to Cargo.toml (here
    // examples/Cargo.toml; checked at compile time); the log, which the
    // snapshot does not hold, ignored.
    assert_tree!(
        dir.path(),
        from = "snapshots/converted",
        ignore = ["out/*.log"]
    );
    println!("\nassert_tree! against examples/snapshots/converted passed");

    // The same expectation inline, with matchers where exact bytes are not the point.
    assert_tree!(dir.path(), {
        "in.csv" => any(),
        "config" => { .. },
        "out" => { "names.txt" => "ALPHA\nBETA\n", "run.log" => contains("2 rows") },
    });
    println!("assert_tree! against the inline spec passed");

    // A regression in the program: the report names the file and shows the diff.
    // (`check_tree` takes no `ignore` list, so the log goes first.)
    convert(dir.path(), true)?;
    std::fs::remove_file(dir.path().join("out/run.log"))?;
    let expected = ExpectedTree::from_snapshot(crate_dir.join("snapshots/converted"))?;
    let diff = check_tree(dir.path(), &expected).unwrap_err();
    println!("\nafter a regression, the comparison with the folder says:\n{diff}");
    Ok(())
}
