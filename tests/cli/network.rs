//! "No network code" shown, not claimed: the binary this test command built imports none of the C library's
//! network functions. A program on Linux reaches the network only through the system calls those
//! functions wrap; a dynamically linked binary that never imports them has no code that calls them (Rust's
//! standard library calls the C library for sockets, it makes no system calls of its own for them).
//!
//! The dynamic symbol table is read by a small ELF reader below (so the test needs no tool), and checked
//! against `nm -D` when binutils is installed, so a bug in the reader cannot pass the test by itself.

use std::process::Command;

/// The C library's functions that open, connect, resolve and talk over sockets.
const NETWORK: &[&str] = &[
    "socket",
    "connect",
    "getaddrinfo",
    "sendto",
    "recvfrom",
    "bind",
    "listen",
    "accept",
    "accept4",
    "sendmsg",
    "recvmsg",
    "gethostbyname",
];

/// Names of the undefined (imported) symbols of an ELF64 little-endian file's `.dynsym`, versions cut.
fn imports(elf: &[u8]) -> Result<Vec<String>, String> {
    let u16_at = |o: usize| -> Result<u64, String> {
        let b = elf.get(o..o + 2).ok_or(format!("short file at {o}"))?;
        Ok(u64::from(u16::from_le_bytes([b[0], b[1]])))
    };
    let u32_at = |o: usize| -> Result<u64, String> {
        let b = elf.get(o..o + 4).ok_or(format!("short file at {o}"))?;
        Ok(u64::from(u32::from_le_bytes([b[0], b[1], b[2], b[3]])))
    };
    let u64_at = |o: usize| -> Result<u64, String> {
        let b = elf.get(o..o + 8).ok_or(format!("short file at {o}"))?;
        let mut a = [0u8; 8];
        a.copy_from_slice(b);
        Ok(u64::from_le_bytes(a))
    };
    if elf.get(..6) != Some(&[0x7f, b'E', b'L', b'F', 2, 1][..]) {
        return Err("not an ELF64 little-endian file".into());
    }
    let (shoff, shentsize, shnum) = (u64_at(0x28)?, u16_at(0x3a)?, u16_at(0x3c)?);
    // A section header: type at +4, offset at +24, size at +32, link at +40, entry size at +56.
    let section = |i: u64| -> Result<(u64, u64, u64, u64, u64), String> {
        let at = (shoff + i * shentsize) as usize;
        Ok((
            u32_at(at + 4)?,
            u64_at(at + 24)?,
            u64_at(at + 32)?,
            u32_at(at + 40)?,
            u64_at(at + 56)?,
        ))
    };
    const SHT_DYNSYM: u64 = 11;
    let mut names = Vec::new();
    for i in 0..shnum {
        let (kind, offset, size, link, entsize) = section(i)?;
        if kind != SHT_DYNSYM || entsize == 0 {
            continue;
        }
        let (_, strings, strings_size, _, _) = section(link)?;
        for k in 0..size / entsize {
            // A symbol: name offset at +0, section index at +6 (0: undefined, i.e. imported).
            let sym = (offset + k * entsize) as usize;
            if u16_at(sym + 6)? != 0 {
                continue;
            }
            let start = (strings + u32_at(sym)?) as usize;
            let end = (strings + strings_size) as usize;
            let text = elf.get(start..end).ok_or("symbol name outside .dynstr")?;
            let len = text.iter().position(|b| *b == 0).unwrap_or(text.len());
            let name = String::from_utf8_lossy(&text[..len]).into_owned();
            if !name.is_empty() {
                names.push(name);
            }
        }
    }
    Ok(names)
}

/// The same list from `nm -D --undefined-only`, when binutils is installed.
fn imports_by_nm(binary: &str) -> Option<Vec<String>> {
    let out = Command::new("nm")
        .args(["-D", "--undefined-only", binary])
        .output()
        .ok()?;
    assert!(out.status.success(), "nm -D failed on {binary}");
    Some(
        String::from_utf8_lossy(&out.stdout)
            .lines()
            .filter_map(|l| l.split_whitespace().last())
            .map(|n| n.split('@').next().unwrap_or(n).to_string())
            .collect(),
    )
}

#[test]
fn the_binary_imports_no_network_function() {
    let binary = env!("CARGO_BIN_EXE_ecs16-evidence");
    let elf = std::fs::read(binary).unwrap();
    let mut names = imports(&elf).unwrap_or_else(|e| panic!("{binary}: {e}"));
    names.sort();
    names.dedup();
    // The reader must see what any Rust program imports, or the check below would pass on nothing.
    for expected in ["read", "write", "open64", "malloc"] {
        assert!(
            names.iter().any(|n| n == expected),
            "{binary}: the ELF reader did not find `{expected}` among {} imports: {names:?}",
            names.len()
        );
    }
    if let Some(mut by_nm) = imports_by_nm(binary) {
        by_nm.sort();
        by_nm.dedup();
        assert_eq!(names, by_nm, "the ELF reader and `nm -D` disagree");
    }
    let found: Vec<&String> = names
        .iter()
        .filter(|n| NETWORK.contains(&n.as_str()))
        .collect();
    assert!(
        found.is_empty(),
        "{binary} imports network functions: {found:?}"
    );
}
