fn main() {
    let _ = fixtree::tree! {
        "./a.txt" => "x",
    };
}
