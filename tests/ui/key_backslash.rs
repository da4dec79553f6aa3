fn main() {
    let _ = fixtree::tree! {
        "a\\b" => "x",
        "..\\..\\x" => "x",
        "\\\\?\\C:\\x" => "x",
        "src" => { "bin\\cli.rs" => "y" },
    };
}
