use std::time::Instant;
fn cpu() -> f64 {
    let mut u: libc::rusage = unsafe { std::mem::zeroed() };
    unsafe { libc::getrusage(libc::RUSAGE_SELF, &mut u) };
    (u.ru_utime.tv_sec as f64 + u.ru_utime.tv_usec as f64 / 1e6)
        + (u.ru_stime.tv_sec as f64 + u.ru_stime.tv_usec as f64 / 1e6)
}
fn main() {
    let root = std::path::PathBuf::from(std::env::args().nth(1).unwrap());
    let t = Instant::now();
    let c = cpu();
    let opened = fieldnote::store::open(&root).unwrap();
    eprintln!(
        "open: wall {:.3} cpu {:.3} entries {}",
        t.elapsed().as_secs_f64(),
        cpu() - c,
        opened.journal.entries.len()
    );
    let t = Instant::now();
    let c = cpu();
    let ix = fieldnote::analysis::TextIndex::new(&opened.journal);
    eprintln!(
        "index: wall {:.3} cpu {:.3} {}",
        t.elapsed().as_secs_f64(),
        cpu() - c,
        ix.len()
    );
    let t = Instant::now();
    let c = cpu();
    drop(ix);
    drop(opened);
    eprintln!(
        "drop: wall {:.3} cpu {:.3}",
        t.elapsed().as_secs_f64(),
        cpu() - c
    );
}
