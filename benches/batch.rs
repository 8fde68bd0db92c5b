//! In-process benchmarks of the per-token pieces of `verify --batch`, on one HS256 token like
//! those `benches/compare.sh` times: split and base64url-decode, the strict JSON parse, the
//! claim checks, the dates of the verdict line, and the whole batch pipeline over 1000 lines
//! held in memory (verify, render a JSON line, keep order). Run: `cargo bench --bench batch`.

use std::hint::black_box;
use std::path::PathBuf;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use jwtk::Algorithm;
use jwtk::Part;
use jwtk::keys::{self, Reading, Source};
use jwtk::mint::{self, ClaimsSpec};
use jwtk::time::{self, When};
use jwtk::token::{self, Jws};
use jwtk::verify::batch;
use jwtk::verify::{self, KeyRing, Policy};

const NOW: i64 = 1_800_000_000;

fn key() -> jwtk::keys::Key {
    let path =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/keys/secret-newline.txt");
    let loaded =
        keys::load(&Source::File(path), &Reading::with_raw_secrets()).expect("fixture key");
    loaded.keys.into_iter().next().expect("one key")
}

fn token() -> String {
    let claims = ClaimsSpec {
        sub: Some("user-12345".into()),
        iss: Some("https://issuer.example".into()),
        aud: vec!["ws-api".into()],
        exp: Some(When::Offset(86_400)),
        ..ClaimsSpec::default()
    }
    .build(NOW);
    let signer = key().signer(Algorithm::HS256).expect("signer");
    let header = mint::build_header("HS256", "JWT", None, &[]).expect("header");
    mint::sign(&header, &claims, &signer).expect("token")
}

fn policy() -> Policy {
    let mut policy = Policy::at(NOW);
    policy.iss = vec!["https://issuer.example".into()];
    policy.aud = vec!["ws-api".into()];
    policy
}

fn pieces(c: &mut Criterion) {
    let token = token();
    let bytes = token.as_bytes();
    c.bench_function("batch/split", |b| {
        b.iter(|| token::Segments::split(black_box(bytes)))
    });
    c.bench_function("batch/split+decode", |b| {
        b.iter(|| Jws::parse(black_box(bytes)))
    });
    let jws = Jws::parse(bytes).expect("token");
    c.bench_function("batch/parse-claims", |b| {
        b.iter(|| token::parse_object(Part::Claims, black_box(&jws.payload)))
    });
    c.bench_function("batch/scan-claims", |b| {
        b.iter(|| token::scan_object(Part::Claims, black_box(&jws.payload)))
    });
    let header = token::scan_object(Part::Header, &jws.header_json).expect("header");
    let claims = token::scan_object(Part::Claims, &jws.payload).expect("claims");
    let policy = policy();
    c.bench_function("batch/check-claims", |b| {
        b.iter(|| verify::check_claims(&header, black_box(&claims), &policy))
    });
    c.bench_function("batch/dates", |b| {
        b.iter(|| {
            let at = black_box(NOW as f64 + 86_399.0);
            (time::format_utc(at), time::relative(at, NOW))
        })
    });
    let ring = KeyRing::new(vec![key()], &[Algorithm::HS256]).expect("ring");
    assert!(ring.verify(bytes, &policy).is_valid());
    c.bench_function("batch/verify", |b| {
        b.iter(|| ring.verify(black_box(bytes), &policy))
    });
}

fn pipeline(c: &mut Criterion) {
    let ring = KeyRing::new(vec![key()], &[Algorithm::HS256]).expect("ring");
    let policy = policy();
    let input = format!("{}\n", token()).repeat(1000);
    let render = |verdict: &verify::Verdict, line: u64, out: &mut Vec<u8>| {
        let _ = serde_json::to_writer(&mut *out, &(verdict.is_valid(), verdict.claims(), line));
        out.push(b'\n');
    };
    let verify = |line: &[u8]| ring.verify(line, &policy);
    let mut group = c.benchmark_group("batch/pipeline");
    group.throughput(Throughput::Elements(1000));
    for jobs in [1, 2] {
        group.bench_function(format!("jobs={jobs}"), |b| {
            b.iter(|| {
                let mut out = Vec::with_capacity(1 << 20);
                batch::run(
                    input.as_bytes(),
                    &mut out,
                    &verify,
                    jobs,
                    render,
                    &mut |_| {},
                )
                .expect("run")
            })
        });
    }
    group.finish();
}

criterion_group!(benches, pieces, pipeline);
criterion_main!(benches);
