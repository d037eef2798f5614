//! The floor under any complete evidence pack: the SHA-256 of an input file, read in 8 MB blocks and
//! hashed on one thread with the same implementation `report` uses. One file's SHA-256 cannot be split
//! across cores, so `report` on a single large export can never finish faster than this on the same
//! machine. `cargo run --release --example sha256_floor -- FILE`
use std::io::Read;

fn main() {
    let path = std::env::args().nth(1).expect("a file to hash");
    let mut file = std::fs::File::open(&path).expect("readable");
    let mut hash = ecs16_evidence::digest::Sha256::default();
    let mut block = vec![0u8; 8 << 20];
    loop {
        let n = file.read(&mut block).expect("readable");
        if n == 0 {
            break;
        }
        hash.update(&block[..n]);
    }
    let size = hash.len();
    println!("{}  {path} ({size} bytes)", hash.finish_hex());
}
