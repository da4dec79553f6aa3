use fixtree::with_tempdir;

#[with_tempdir]
struct Fixture {
    path: std::path::PathBuf,
}

#[with_tempdir]
mod tests {}

fn main() {
    // The struct is still there, as written.
    let _ = Fixture { path: ".".into() }.path;
}
