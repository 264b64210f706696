//! `qiquan-core.wasm`: the engine as a WebAssembly module with **no imports** and no
//! wasm-bindgen glue, for hosts without JavaScript (Java with Chicory, Go with wazero, Python
//! with wasmtime, …). JSON in, JSON out: the same bytes as the CLI, and the CLI's error
//! envelope and codes. The ABI is documented in docs/abi.md; this file is its only
//! implementation. No rule logic lives here.
//!
//! Memory. Every byte the host and the module exchange is a *block* the module owns: the host
//! asks for one with `qiquan_alloc(len)`, writes its input there, passes `(ptr, len)` to an
//! operation, and gets back the pointer of a new block with the answer (its length from
//! `qiquan_len`), which it reads and gives back with `qiquan_free`. Blocks are kept in a
//! registry (`BLOCKS`) as owned `Box<[u8]>`s, so the module reads an input by looking its
//! pointer up there and indexing the slice: a pointer or length the host got wrong is an
//! `usage` error, never a read outside a block.
//!
//! Why this crate and not a module of the engine crate: the engine forbids unsafe code
//! (`unsafe_code = "forbid"`, which no inner `allow` can lift). Exporting a function under a
//! fixed name needs `#[unsafe(no_mangle)]`, which the `unsafe_code` lint counts as unsafe (two
//! exports with one name would be undefined behaviour). The registry design needs nothing else:
//! no `unsafe` block, no raw pointer read or written, no `from_raw_parts`. So the exception is
//! confined to these attributes, in a crate of one file, and the engine keeps `forbid`.
//!
//! Contract for every export: it never panics on any input (the wasm build aborts on panic);
//! the module is single-threaded and not re-entrant (it has no imports, so nothing can call
//! back into it during a call).

use std::cell::RefCell;

use qiquan::signed::{Manifest, TrustedKey, VerifiedFile};
use qiquan::{Engine, Error, ErrorCode};
use serde::{Deserialize, Serialize};

/// The ABI's version (`qiquan_abi_version`): raised on any incompatible change to docs/abi.md.
pub const ABI_VERSION: u32 = 1;

/// The largest block `qiquan_alloc` hands out: a signed bundle's envelope may be 16 MiB
/// (`qiquan::signed::MAX_ENVELOPE_BYTES`), and the files of a bundle come in one JSON array.
pub const MAX_BLOCK: usize = 32 * 1024 * 1024;

/// A block of the module's memory lent to the host: `len` bytes used (a zero-length block
/// still owns one byte, so that every live block has its own address).
struct Block {
    bytes: Box<[u8]>,
    len: usize,
}

impl Block {
    fn new(bytes: Vec<u8>) -> Block {
        let len = bytes.len();
        let bytes = if len == 0 { vec![0] } else { bytes };
        Block {
            bytes: bytes.into_boxed_slice(),
            len,
        }
    }

    fn ptr(&self) -> usize {
        self.bytes.as_ptr() as usize
    }
}

/// The signed bundle opened with `qiquan_open_bundle` and the files verified against it so far.
struct OpenBundle {
    manifest: Manifest,
    files: Vec<VerifiedFile>,
}

thread_local! {
    static BLOCKS: RefCell<Vec<Block>> = const { RefCell::new(Vec::new()) };
    static OPENED: RefCell<Option<OpenBundle>> = const { RefCell::new(None) };
    static LOADED: RefCell<Option<Engine>> = const { RefCell::new(None) };
}

/// The answer of `qiquan_add_bundle_files` (the page module's `RulesLoaded`).
#[derive(Serialize)]
struct RulesLoaded<'a> {
    rules_digest: &'a str,
    rules_revision: Option<&'a str>,
    matters: usize,
}

/// The request of `qiquan_deadline`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DeadlineRequest {
    from: String,
    days: i64,
    unit: String,
}

// ---------------------------------------------------------------------------------------------
// Blocks

/// Stores `bytes` as a new block and returns its address.
fn lend(bytes: Vec<u8>) -> usize {
    let block = Block::new(bytes);
    let ptr = block.ptr();
    BLOCKS.with(|blocks| match blocks.try_borrow_mut() {
        Ok(mut blocks) => {
            blocks.push(block);
            ptr
        }
        Err(_) => 0,
    })
}

/// The block at `ptr`, if the module lent one there.
fn with_block<T>(ptr: usize, f: impl FnOnce(&mut Block) -> T) -> Option<T> {
    BLOCKS.with(|blocks| {
        let mut blocks = blocks.try_borrow_mut().ok()?;
        blocks.iter_mut().find(|b| b.ptr() == ptr).map(f)
    })
}

/// A pointer or length that does not name a block the module lent.
fn bad_block(name: &str, ptr: usize, len: usize) -> Error {
    Error::new(
        ErrorCode::Usage,
        format!("参数 {name}（地址 {ptr}，长度 {len}）不是 qiquan_alloc 分配的内存块。"),
        format!(
            "The argument {name} (address {ptr}, length {len}) is not a block from qiquan_alloc."
        ),
    )
    .at(name.to_string())
}

/// The bytes of argument `name`: the first `len` bytes of the block at `ptr` (`0, 0`: none).
fn input(name: &str, ptr: usize, len: usize) -> Result<Vec<u8>, Error> {
    if ptr == 0 && len == 0 {
        return Ok(Vec::new());
    }
    with_block(ptr, |block| block.bytes.get(..len).map(<[u8]>::to_vec))
        .flatten()
        .ok_or_else(|| bad_block(name, ptr, len))
}

/// An optional argument: `ptr == 0` means "not given".
fn optional_input(name: &str, ptr: usize, len: usize) -> Result<Option<Vec<u8>>, Error> {
    if ptr == 0 {
        return Ok(None);
    }
    input(name, ptr, len).map(Some)
}

/// An argument that must be UTF-8 text.
fn text(name: &str, bytes: Vec<u8>) -> Result<String, Error> {
    String::from_utf8(bytes).map_err(|_| {
        Error::new(
            ErrorCode::InvalidSubmission,
            format!("参数 {name} 应为 UTF-8 文本。"),
            format!("The argument {name} must be UTF-8 text."),
        )
        .at(name.to_string())
    })
}

/// The answer block of an operation: the JSON, or the error envelope.
fn answer(result: Result<String, Error>) -> usize {
    lend(result.unwrap_or_else(|error| error.to_json()).into_bytes())
}

// ---------------------------------------------------------------------------------------------
// Operations (safe Rust; the exports below only name them)

fn with_engine<T>(f: impl FnOnce(&Engine) -> Result<T, Error>) -> Result<T, Error> {
    LOADED.with(|cell| {
        let slot = cell.try_borrow().map_err(|_| busy())?;
        match slot.as_ref() {
            Some(engine) => f(engine),
            None => Err(Error::new(
                ErrorCode::RulesNotLoaded,
                "尚未加载规则：请先调用 qiquan_open_bundle 和 qiquan_add_bundle_files。",
                "No rules are loaded yet: call qiquan_open_bundle and qiquan_add_bundle_files first.",
            )),
        }
    })
}

fn busy() -> Error {
    Error::new(
        ErrorCode::Usage,
        "模块正忙：不支持重入调用。",
        "The module is busy: calls must not overlap.",
    )
}

type CheckFn = fn(&Engine, &str, &str, Option<&str>) -> Result<String, Error>;

/// `check` and `check_compact`: the arguments read as the CLI reads its input (a submission
/// file: the size limit first, then UTF-8), then the engine's JSON check.
pub fn check(
    matter: (usize, usize),
    submission: (usize, usize),
    options: (usize, usize),
    run: CheckFn,
) -> Result<String, Error> {
    let matter = text("matter", input("matter", matter.0, matter.1)?)?;
    let submission = input("submission", submission.0, submission.1)?;
    let submission = qiquan::utf8_input(&submission, "submission")?;
    let options = optional_input("options", options.0, options.1)?;
    let options = match &options {
        Some(bytes) => Some(qiquan::utf8_input(bytes, "options")?),
        None => None,
    };
    with_engine(|engine| run(engine, &matter, submission, options))
}

/// `{"from": "YYYY-MM-DD", "days": integer, "unit": "working" | "natural"}` → the answer of
/// `qiquan deadline --json`.
pub fn deadline(request: (usize, usize)) -> Result<String, Error> {
    let bytes = input("request", request.0, request.1)?;
    let request: DeadlineRequest = qiquan::parse_json_bytes(&bytes, "request")?;
    with_engine(|engine| {
        let answer = engine.deadline(&request.from, request.days, &request.unit)?;
        Ok(qiquan::to_pretty_json(&answer))
    })
}

pub fn matters() -> Result<String, Error> {
    with_engine(|engine| Ok(qiquan::to_pretty_json(&engine.matters())))
}

/// Opens a signed bundle (`bundle.json`'s text) against the trusted keys (a JSON array of
/// 64-hex-digit ed25519 public keys) and returns its manifest. The rules in use do not change
/// until `add_bundle_files`.
pub fn open_bundle(bundle: (usize, usize), keys: (usize, usize)) -> Result<String, Error> {
    let bundle = input("bundle", bundle.0, bundle.1)?;
    let bundle = String::from_utf8(bundle).map_err(|_| {
        Error::new(
            ErrorCode::BundleMalformed,
            "规则包不是 UTF-8 编码。",
            "The bundle is not UTF-8.",
        )
        .at("bundle")
    })?;
    let keys = text("keys", input("keys", keys.0, keys.1)?)?;
    let keys: Vec<String> = serde_json::from_str(&keys).map_err(|e| {
        Error::new(
            ErrorCode::InvalidSubmission,
            "参数 keys 应为公钥字符串的 JSON 数组。",
            "The argument keys must be a JSON array of public keys.",
        )
        .at("keys")
        .detail(e.to_string())
    })?;
    let keys = keys
        .iter()
        .map(|k| TrustedKey::from_hex(k))
        .collect::<Result<Vec<_>, Error>>()
        .map_err(|e| e.at("keys"))?;
    let manifest = qiquan::signed::open(&bundle, &keys)?;
    let json = qiquan::to_pretty_json(&manifest);
    OPENED.with(|cell| {
        let mut slot = cell.try_borrow_mut().map_err(|_| busy())?;
        *slot = Some(OpenBundle {
            manifest,
            files: Vec::new(),
        });
        Ok(json)
    })
}

/// Verifies bundle files (a JSON array of the texts of `files/<sha256>.json`) against the open
/// bundle and makes the rules of every file verified so far active. All or nothing: on an error
/// no file is added and the rules in use stay.
pub fn add_bundle_files(files: (usize, usize)) -> Result<String, Error> {
    let files = text("files", input("files", files.0, files.1)?)?;
    let texts: Vec<String> = serde_json::from_str(&files).map_err(|e| {
        Error::new(
            ErrorCode::InvalidSubmission,
            "参数 files 应为文件文本（字符串）的 JSON 数组。",
            "The argument files must be a JSON array of file texts (strings).",
        )
        .at("files")
        .detail(e.to_string())
    })?;
    OPENED.with(|cell| {
        let mut slot = cell.try_borrow_mut().map_err(|_| busy())?;
        let open = slot.as_mut().ok_or_else(|| {
            Error::new(
                ErrorCode::BundleNotOpen,
                "尚未打开规则包：请先调用 qiquan_open_bundle。",
                "No bundle is open: call qiquan_open_bundle first.",
            )
        })?;
        let bytes: Vec<&[u8]> = texts.iter().map(|t| t.as_bytes()).collect();
        let verified = qiquan::signed::verify_files(&open.manifest, &bytes)?;
        let mut all = open.files.clone();
        for file in verified {
            if !all.iter().any(|f| f.sha256 == file.sha256) {
                all.push(file);
            }
        }
        let engine = Engine::from_signed(&open.manifest, &all)?;
        let loaded = qiquan::to_pretty_json(&RulesLoaded {
            rules_digest: engine.rules_digest(),
            rules_revision: engine.rules_revision(),
            matters: engine.matters().len(),
        });
        LOADED.with(|cell| {
            let mut slot = cell.try_borrow_mut().map_err(|_| busy())?;
            *slot = Some(engine);
            Ok::<(), Error>(())
        })?;
        open.files = all;
        Ok(loaded)
    })
}

// ---------------------------------------------------------------------------------------------
// The exports (docs/abi.md). `#[unsafe(no_mangle)]` is the crate's only use of unsafe: see the
// top of this file.

/// The ABI version, [`ABI_VERSION`].
#[allow(unsafe_code)]
#[unsafe(no_mangle)]
pub extern "C" fn qiquan_abi_version() -> u32 {
    ABI_VERSION
}

/// A new block of `len` bytes (zeroed) for the host to write into; 0 when `len` is over
/// [`MAX_BLOCK`].
#[allow(unsafe_code)]
#[unsafe(no_mangle)]
pub extern "C" fn qiquan_alloc(len: usize) -> usize {
    if len > MAX_BLOCK {
        return 0;
    }
    lend(vec![0; len])
}

/// Gives a block back (one from `qiquan_alloc` or an answer). An address that is not a live
/// block is ignored.
#[allow(unsafe_code)]
#[unsafe(no_mangle)]
pub extern "C" fn qiquan_free(ptr: usize) {
    BLOCKS.with(|blocks| {
        if let Ok(mut blocks) = blocks.try_borrow_mut()
            && let Some(i) = blocks.iter().position(|b| b.ptr() == ptr)
        {
            blocks.swap_remove(i);
        }
    });
}

/// The length in bytes of the block at `ptr` (an answer's JSON), or 0 when there is none.
#[allow(unsafe_code)]
#[unsafe(no_mangle)]
pub extern "C" fn qiquan_len(ptr: usize) -> usize {
    with_block(ptr, |block| block.len).unwrap_or(0)
}

/// Checks a submission: the verdict JSON exactly as `qiquan check` prints it (without the final
/// newline), or the error envelope. `options_ptr == 0`: no options.
#[allow(unsafe_code)]
#[unsafe(no_mangle)]
pub extern "C" fn qiquan_check(
    matter_ptr: usize,
    matter_len: usize,
    submission_ptr: usize,
    submission_len: usize,
    options_ptr: usize,
    options_len: usize,
) -> usize {
    answer(check(
        (matter_ptr, matter_len),
        (submission_ptr, submission_len),
        (options_ptr, options_len),
        Engine::check_json,
    ))
}

/// The compact check: the bytes of `qiquan check --compact`, or the error envelope.
#[allow(unsafe_code)]
#[unsafe(no_mangle)]
pub extern "C" fn qiquan_check_compact(
    matter_ptr: usize,
    matter_len: usize,
    submission_ptr: usize,
    submission_len: usize,
    options_ptr: usize,
    options_len: usize,
) -> usize {
    answer(check(
        (matter_ptr, matter_len),
        (submission_ptr, submission_len),
        (options_ptr, options_len),
        Engine::check_compact_json,
    ))
}

/// A due date: `{"from", "days", "unit"}` in, `{"due", "provisional", …}` out.
#[allow(unsafe_code)]
#[unsafe(no_mangle)]
pub extern "C" fn qiquan_deadline(request_ptr: usize, request_len: usize) -> usize {
    answer(deadline((request_ptr, request_len)))
}

/// The matters of the loaded bundle.
#[allow(unsafe_code)]
#[unsafe(no_mangle)]
pub extern "C" fn qiquan_matters() -> usize {
    answer(matters())
}

/// Opens a signed bundle against trusted keys: its manifest, or the error envelope.
#[allow(unsafe_code)]
#[unsafe(no_mangle)]
pub extern "C" fn qiquan_open_bundle(
    bundle_ptr: usize,
    bundle_len: usize,
    keys_ptr: usize,
    keys_len: usize,
) -> usize {
    answer(open_bundle((bundle_ptr, bundle_len), (keys_ptr, keys_len)))
}

/// Verifies files of the open bundle and activates their rules:
/// `{"rules_digest", "rules_revision", "matters"}`, or the error envelope.
#[allow(unsafe_code)]
#[unsafe(no_mangle)]
pub extern "C" fn qiquan_add_bundle_files(files_ptr: usize, files_len: usize) -> usize {
    answer(add_bundle_files((files_ptr, files_len)))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What a host does: a block with `bytes` in it (natively, through the registry).
    fn put(bytes: &[u8]) -> (usize, usize) {
        let ptr = qiquan_alloc(bytes.len());
        assert_ne!(ptr, 0);
        with_block(ptr, |b| b.bytes[..bytes.len()].copy_from_slice(bytes)).unwrap();
        (ptr, bytes.len())
    }

    /// Reads and frees an answer.
    fn take(ptr: usize) -> serde_json::Value {
        let len = qiquan_len(ptr);
        let bytes = with_block(ptr, |b| b.bytes[..b.len].to_vec()).unwrap();
        assert_eq!(bytes.len(), len);
        qiquan_free(ptr);
        assert_eq!(qiquan_len(ptr), 0, "freed");
        serde_json::from_slice(&bytes).unwrap()
    }

    fn code(answer: &serde_json::Value) -> &str {
        answer["error"]["code"].as_str().unwrap_or("(none)")
    }

    #[test]
    fn blocks_are_lent_looked_up_and_given_back() {
        assert_eq!(qiquan_abi_version(), ABI_VERSION);
        let a = qiquan_alloc(0);
        let b = qiquan_alloc(0);
        assert!(
            a != 0 && b != 0 && a != b,
            "zero-length blocks have their own address"
        );
        assert_eq!(qiquan_len(a), 0);
        assert_eq!(qiquan_len(qiquan_alloc(10)), 10);
        assert_eq!(qiquan_alloc(MAX_BLOCK + 1), 0, "over the limit");
        qiquan_free(a);
        qiquan_free(a); // twice: ignored
        qiquan_free(12345); // never lent: ignored
        assert_eq!(qiquan_len(a), 0);
        assert_eq!(qiquan_len(b), 0);
    }

    #[test]
    fn a_pointer_or_length_not_from_alloc_is_a_usage_error() {
        let (ptr, len) = put(b"{}");
        let (m, ml) = put(b"public_place_hygiene_license");
        let answer = take(qiquan_check(m, ml, ptr, len + 1, 0, 0));
        assert_eq!(code(&answer), "usage");
        assert_eq!(answer["error"]["at"], "submission");
        let answer = take(qiquan_check(m, ml, ptr + 1, 1, 0, 0));
        assert_eq!(code(&answer), "usage");
        let answer = take(qiquan_deadline(7, 3));
        assert_eq!(code(&answer), "usage");
        assert_eq!(answer["error"]["at"], "request");
    }

    #[test]
    fn before_a_bundle_every_operation_says_rules_not_loaded() {
        let (m, ml) = put(b"public_place_hygiene_license");
        let (s, sl) = put(b"{}");
        assert_eq!(
            code(&take(qiquan_check(m, ml, s, sl, 0, 0))),
            "rules_not_loaded"
        );
        assert_eq!(
            code(&take(qiquan_check_compact(m, ml, s, sl, 0, 0))),
            "rules_not_loaded"
        );
        assert_eq!(code(&take(qiquan_matters())), "rules_not_loaded");
        let (r, rl) = put(br#"{"from":"2026-02-13","days":10,"unit":"working"}"#);
        assert_eq!(code(&take(qiquan_deadline(r, rl))), "rules_not_loaded");
        let (f, fl) = put(b"[]");
        assert_eq!(
            code(&take(qiquan_add_bundle_files(f, fl))),
            "bundle_not_open"
        );
    }

    #[test]
    fn inputs_are_read_as_the_cli_reads_them() {
        let (m, ml) = put(b"public_place_hygiene_license");
        // Not UTF-8: the CLI's invalid_json with the position of the bad byte.
        let (s, sl) = put(b"{\n \xff}");
        let answer = take(qiquan_check(m, ml, s, sl, 0, 0));
        assert_eq!(code(&answer), "invalid_json");
        assert!(
            answer["error"]["message"]["en"]
                .as_str()
                .unwrap()
                .contains("line 2 column 2"),
            "{answer}"
        );
        // Over 256 KiB: input_too_large, checked before UTF-8.
        let big = vec![0xffu8; 262_145];
        let (s, sl) = put(&big);
        assert_eq!(
            code(&take(qiquan_check(m, ml, s, sl, 0, 0))),
            "input_too_large"
        );
        // A deadline request of the wrong shape: the parser's codes.
        let (r, rl) = put(b"{\"from\":");
        assert_eq!(code(&take(qiquan_deadline(r, rl))), "invalid_json");
        let (r, rl) = put(br#"{"from":"2026-02-13","days":1.5,"unit":"working"}"#);
        assert_eq!(code(&take(qiquan_deadline(r, rl))), "invalid_submission");
    }

    #[test]
    fn a_bundle_is_verified_before_anything_is_loaded() {
        let (k, kl) = put(b"[\"00\"]");
        let (b, bl) = put(b"{}");
        let answer = take(qiquan_open_bundle(b, bl, k, kl));
        assert_eq!(answer["error"]["at"], "keys", "{answer}");
        let (k, kl) = put(b"not json");
        assert_eq!(
            code(&take(qiquan_open_bundle(b, bl, k, kl))),
            "invalid_submission"
        );
        let key = "11".repeat(32);
        let (k, kl) = put(format!("[\"{key}\"]").as_bytes());
        let (b, bl) = put(b"{\"signed\": 1}");
        let answer = take(qiquan_open_bundle(b, bl, k, kl));
        assert!(code(&answer).starts_with("bundle_"), "{answer}");
        assert_eq!(code(&take(qiquan_matters())), "rules_not_loaded");
    }
}
