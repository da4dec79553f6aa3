fn main() {
    let _ = fixtree::tree! {
        "src" => { "../escape.txt" => "x" },
    };
}
