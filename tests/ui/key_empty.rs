fn main() {
    let _ = fixtree::tree! {
        "" => "x",
    };
}
