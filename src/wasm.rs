//! The WebAssembly shell (`pkg/`, built by `scripts/build-wasm.sh`): a thin layer of
//! argument checking and conversion over [`Engine`]. No rule logic lives here.
//!
//! Contract for every export: it never throws and never panics (the `wasm-release` profile
//! aborts on panic, which would kill the module for the whole page). Bad input comes back as the same
//! `{"error": {...}}` value the CLI prints, with a stable code. Arguments are taken as
//! `JsValue` and checked here, so that even a wrongly typed call from plain JavaScript gets an
//! error value instead of an exception from the generated glue.

use std::cell::RefCell;
use std::rc::Rc;

use js_sys::JSON;
#[cfg(feature = "whole")]
use serde::Deserialize;
use serde::Serialize;
use tsify::Tsify;
use wasm_bindgen::prelude::*;

#[cfg(feature = "whole")]
use crate::SourceFile;
use crate::{Engine, Error, ErrorCode};

/// Largest rules bundle `loadRules` reads, in bytes of JSON.
#[cfg(feature = "whole")]
const MAX_BUNDLE_BYTES: usize = 16 * 1024 * 1024;

/// What every failing call returns: the CLI's error JSON, as an object.
#[derive(Serialize, Tsify)]
pub struct ErrorEnvelope {
    pub error: Error,
}

/// The answer of `loadRules`, `resetRules` and `addBundleFiles`.
#[derive(Serialize, Tsify)]
pub struct RulesLoaded {
    pub rules_digest: String,
    /// The signed bundle's revision (`addBundleFiles`), else null.
    pub rules_revision: Option<String>,
    /// The number of matters in the active bundle.
    pub matters: usize,
}

/// A rules bundle as `qiquan bundle rules` prints it (studio module).
#[cfg(feature = "whole")]
#[derive(Deserialize, Serialize, Tsify)]
#[serde(deny_unknown_fields)]
pub struct RulesBundle {
    pub files: Vec<BundleFile>,
}

/// One file of a bundle: its path, its TOML text (what the digest covers) and its JSON form
/// (what this module reads; the page module has no TOML reader, the studio module reads the
/// text of a file that comes without one).
#[cfg(feature = "whole")]
#[derive(Deserialize, Serialize, Tsify)]
pub struct BundleFile {
    pub path: String,
    pub text: String,
    #[serde(default)]
    #[tsify(optional)]
    pub json: Option<String>,
}

thread_local! {
    /// Rules loaded with `addBundleFiles` or `loadRules`; `None` means the embedded bundle
    /// (none in the page module).
    static LOADED: RefCell<Option<Rc<Engine>>> = const { RefCell::new(None) };
}

/// The active engine: the loaded bundle, else the one compiled into the module (the studio
/// module; the page module has none: feature `embed`).
enum Active {
    #[cfg(feature = "embed")]
    Embedded(&'static Engine),
    Loaded(Rc<Engine>),
}

impl std::ops::Deref for Active {
    type Target = Engine;
    fn deref(&self) -> &Engine {
        match self {
            #[cfg(feature = "embed")]
            Active::Embedded(engine) => engine,
            Active::Loaded(engine) => engine,
        }
    }
}

fn active() -> Result<Active, Error> {
    let loaded = LOADED.with(|cell| cell.try_borrow().ok().and_then(|slot| slot.clone()));
    match loaded {
        Some(engine) => Ok(Active::Loaded(engine)),
        #[cfg(feature = "embed")]
        None => Engine::embedded().map(Active::Embedded),
        #[cfg(not(feature = "embed"))]
        None => Err(Error::new(
            ErrorCode::RulesNotLoaded,
            "尚未加载规则：请先调用 openBundle 和 addBundleFiles。",
            "No rules are loaded yet: call openBundle and addBundleFiles first.",
        )),
    }
}

/// A value for JavaScript: `JSON.parse` of the CLI's bytes, so it deep-equals them by
/// construction. Through JSON text, this reuses the serializer the module carries for
/// `checkJson` instead of a second (serde-wasm-bindgen) instance per type, and `JSON.parse` is
/// fast.
fn to_js<T: Serialize>(value: &T) -> JsValue {
    let text = crate::to_pretty_json(value);
    JSON::parse(&text).unwrap_or(JsValue::NULL)
}

/// `{"error": {...}}` as an object; built from the error's own JSON so it cannot fail again.
fn error_js(error: &Error) -> JsValue {
    JSON::parse(&error.to_json()).unwrap_or(JsValue::NULL)
}

fn result_js<T: Serialize>(result: Result<T, Error>) -> JsValue {
    match result {
        Ok(value) => to_js(&value),
        Err(error) => error_js(&error),
    }
}

/// A wrongly typed argument: the same code as a submission of the wrong shape.
fn bad_argument(name: &str, expected_zh: &str, expected_en: &str) -> Error {
    Error::new(
        ErrorCode::InvalidSubmission,
        format!("参数 {name} 应为{expected_zh}。"),
        format!("The argument {name} must be {expected_en}."),
    )
    .at(name.to_string())
}

fn string_arg(value: &JsValue, name: &str) -> Result<String, Error> {
    value
        .as_string()
        .ok_or_else(|| bad_argument(name, "字符串", "a string"))
}

/// `undefined` and `null` (wasm-bindgen's `None`) mean "not given".
fn optional_string_arg(value: Option<JsValue>, name: &str) -> Result<Option<String>, Error> {
    value.map(|value| string_arg(&value, name)).transpose()
}

/// A JavaScript value as JSON text (`JSON.stringify`), refusing what has no JSON form
/// (`undefined`, functions, BigInt, cycles).
fn stringify_arg(value: &JsValue, name: &str) -> Result<String, Error> {
    JSON::stringify(value)
        .ok()
        .and_then(|text| text.as_string())
        .ok_or_else(|| {
            bad_argument(
                name,
                "可转换为 JSON 的对象",
                "an object that JSON.stringify can convert",
            )
        })
}

/// JSON text given as a string, or as bytes (a `Uint8Array`, e.g. a file as read): bytes get
/// the CLI's checks for a file, in its order: the size limit first, then UTF-8.
fn json_text_arg(value: &JsValue, name: &str, what: &str) -> Result<String, Error> {
    if let Some(text) = value.as_string() {
        return Ok(text);
    }
    match value.dyn_ref::<js_sys::Uint8Array>() {
        Some(array) => {
            let length = array.length() as usize;
            if length > crate::submission::MAX_SUBMISSION_BYTES {
                return Err(crate::input_too_large(what, length));
            }
            crate::utf8_input(&array.to_vec(), what).map(str::to_string)
        }
        None => Err(bad_argument(
            name,
            "字符串或 Uint8Array",
            "a string or a Uint8Array",
        )),
    }
}

/// The JSON-text checks (`checkJson`, `checkCompact`): the arguments checked as the CLI
/// checks its input, then `check` on the active engine; an error as the CLI's error JSON.
fn checked_text(
    matter_id: JsValue,
    submission_json: JsValue,
    options_json: Option<JsValue>,
    check: fn(&Engine, &str, &str, Option<&str>) -> Result<String, Error>,
) -> String {
    let run = || -> Result<String, Error> {
        let matter = string_arg(&matter_id, "matterId")?;
        let submission = json_text_arg(&submission_json, "submissionJson", "submission")?;
        let options = optional_string_arg(options_json, "optionsJson")?;
        check(&*active()?, &matter, &submission, options.as_deref())
    };
    run().unwrap_or_else(|error| error.to_json())
}

/// Checks a submission given as JSON text (a string, or UTF-8 bytes as a `Uint8Array`):
/// returns exactly the bytes the CLI prints for the same input (without the final newline):
/// the verdict JSON, or the error JSON the CLI writes to stderr — for bytes that are too large
/// or not UTF-8 too.
#[wasm_bindgen(js_name = checkJson, unchecked_return_type = "string")]
pub fn check_json(
    #[wasm_bindgen(js_name = matterId, unchecked_param_type = "string")] matter_id: JsValue,
    #[wasm_bindgen(js_name = submissionJson, unchecked_param_type = "string | Uint8Array")]
    submission_json: JsValue,
    #[wasm_bindgen(js_name = optionsJson, unchecked_optional_param_type = "string | null")]
    options_json: Option<JsValue>,
) -> String {
    checked_text(matter_id, submission_json, options_json, Engine::check_json)
}

/// Why a check came out as it did (studio module): the ordered, bounded trace `qiquan explain
/// --json` prints — version, eligibility, fields, conditions with operands, materials, the
/// decision rule with its article, the pledge, the days counted — or the error JSON.
#[cfg(feature = "studio")]
#[wasm_bindgen(js_name = explainJson, unchecked_return_type = "string")]
pub fn explain_json(
    #[wasm_bindgen(js_name = matterId, unchecked_param_type = "string")] matter_id: JsValue,
    #[wasm_bindgen(js_name = submissionJson, unchecked_param_type = "string | Uint8Array")]
    submission_json: JsValue,
    #[wasm_bindgen(js_name = optionsJson, unchecked_optional_param_type = "string | null")]
    options_json: Option<JsValue>,
) -> String {
    checked_text(
        matter_id,
        submission_json,
        options_json,
        crate::authoring::explain::explain_json,
    )
}

/// The compact check for a keystroke: one line of JSON with the outcome, each finding's code and
/// target, the checklist flags (`applies`, `required`, `ok`, material `status`) and the pledge's
/// availability — no prose, no notice (`CompactVerdict`); or the error JSON, as `checkJson`.
/// The same bytes as `qiquan check --compact` natively.
#[wasm_bindgen(js_name = checkCompact, unchecked_return_type = "string")]
pub fn check_compact(
    #[wasm_bindgen(js_name = matterId, unchecked_param_type = "string")] matter_id: JsValue,
    #[wasm_bindgen(js_name = submissionJson, unchecked_param_type = "string | Uint8Array")]
    submission_json: JsValue,
    #[wasm_bindgen(js_name = optionsJson, unchecked_optional_param_type = "string | null")]
    options_json: Option<JsValue>,
) -> String {
    checked_text(
        matter_id,
        submission_json,
        options_json,
        Engine::check_compact_json,
    )
}

/// Checks a submission given as an object; returns the verdict (or the error) as an object
/// equal to `JSON.parse(checkJson(...))` for the same input.
#[wasm_bindgen(js_name = check, unchecked_return_type = "Verdict | ErrorEnvelope")]
pub fn check(
    #[wasm_bindgen(js_name = matterId, unchecked_param_type = "string")] matter_id: JsValue,
    #[wasm_bindgen(unchecked_param_type = "Submission")] submission: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "CheckOptions | null")] options: Option<JsValue>,
) -> JsValue {
    let run = || -> Result<crate::Verdict, Error> {
        let matter = string_arg(&matter_id, "matterId")?;
        let submission_json = stringify_arg(&submission, "submission")?;
        let options_json = match options {
            Some(options) => Some(stringify_arg(&options, "options")?),
            None => None,
        };
        // The same parse as `Engine::check_json`, keeping the verdict as a value.
        let (submission, options) =
            crate::parse_check_input(&submission_json, options_json.as_deref())?;
        active()?.check(&matter, &submission, &options)
    };
    result_js(run())
}

/// The matters of the active bundle.
#[wasm_bindgen(js_name = matters, unchecked_return_type = "MatterSummary[] | ErrorEnvelope")]
pub fn matters() -> JsValue {
    result_js(active().map(|engine| engine.matters()))
}

/// A matter's definition: the version in force on `onDate` (`YYYY-MM-DD`), else the newest.
#[wasm_bindgen(js_name = matter, unchecked_return_type = "MatterFile | ErrorEnvelope")]
pub fn matter(
    #[wasm_bindgen(unchecked_param_type = "string")] id: JsValue,
    #[wasm_bindgen(js_name = onDate, unchecked_optional_param_type = "string | null")]
    on_date: Option<JsValue>,
) -> JsValue {
    let run = || -> Result<JsValue, Error> {
        let id = string_arg(&id, "id")?;
        let on = optional_string_arg(on_date, "onDate")?;
        let engine = active()?;
        Ok(to_js(engine.matter(&id, on.as_deref())?))
    };
    run().unwrap_or_else(|error| error_js(&error))
}

/// Lints rule files (`[{path, text}]`, paths like `matters/x/2024-01.toml`): every problem, in
/// path order, each with its `severity`; the files load when none is an `error` (warnings do
/// not stop them). Checks the typed rule format (the native `qiquan lint` additionally
/// validates against the JSON Schema). Studio module only: the page module has no TOML reader.
#[cfg(feature = "studio")]
#[wasm_bindgen(js_name = lint, unchecked_return_type = "Diagnostic[] | ErrorEnvelope")]
pub fn lint(#[wasm_bindgen(unchecked_param_type = "SourceFile[]")] files: JsValue) -> JsValue {
    let run = || -> Result<Vec<crate::Diagnostic>, Error> {
        let files: Vec<SourceFile> = serde_wasm_bindgen::from_value(files).map_err(|e| {
            bad_argument("files", "[{path, text}] 数组", "an array of {path, text}")
                .detail(e.to_string())
        })?;
        Ok(crate::bundle::lint(
            &files,
            crate::bundle::Validation::Types,
        ))
    };
    result_js(run())
}

/// `from` + `days` working or natural days (`unit`: `working` or `natural`), start day not
/// counted. `days` must be an integer (a number or a BigInt).
#[wasm_bindgen(js_name = deadline, unchecked_return_type = "DeadlineAnswer | ErrorEnvelope")]
pub fn deadline(
    #[wasm_bindgen(unchecked_param_type = "string")] from: JsValue,
    #[wasm_bindgen(unchecked_param_type = "number | bigint")] days: JsValue,
    #[wasm_bindgen(unchecked_param_type = "string")] unit: JsValue,
) -> JsValue {
    let run = || -> Result<crate::DeadlineAnswer, Error> {
        let from = string_arg(&from, "from")?;
        let days = days_arg(&days)?;
        let unit = string_arg(&unit, "unit")?;
        active()?.deadline(&from, days, &unit)
    };
    result_js(run())
}

/// The case clock (`{"matter", "events", "as_of"}` as JSON text): dues after pauses and
/// extensions, working days left, the step's own limits and the lamp. Studio module only
/// (feature `whole`): the page module's size budget has no room for it; the server answers
/// the same clock natively.
#[cfg(feature = "whole")]
#[wasm_bindgen(js_name = caseClock, unchecked_return_type = "string")]
pub fn case_clock(
    #[wasm_bindgen(js_name = inputJson, unchecked_param_type = "string")] input_json: JsValue,
) -> String {
    let run = || -> Result<String, Error> {
        let input = string_arg(&input_json, "inputJson")?;
        active()?.case_clock_json(&input)
    };
    run().unwrap_or_else(|error| error.to_json())
}

/// A day count as `i64`, exactly: integral numbers within ±2^63 and BigInts within `i64`.
/// Anything else is `days_out_of_range` (the engine itself then checks 0..=3650).
fn days_arg(days: &JsValue) -> Result<i64, Error> {
    let max = crate::calendar::MAX_DAYS;
    let out_of_range = |shown: &str| {
        Error::new(
            ErrorCode::DaysOutOfRange,
            format!("天数 {shown} 超出范围，应为 0 至 {max}。"),
            format!("The day count {shown} is out of range; use 0 to {max}."),
        )
    };
    if let Some(number) = days.as_f64() {
        if !number.is_finite() || number.fract() != 0.0 {
            return Err(Error::new(
                ErrorCode::DaysOutOfRange,
                format!("天数 {number} 不是整数，应为 0 至 {max} 的整数。"),
                format!("The day count {number} is not an integer; use 0 to {max}."),
            ));
        }
        // Every integral f64 in -2^63..2^63 is an exact i64: the cast neither saturates nor
        // rounds.
        const LIMIT: f64 = 9_223_372_036_854_775_808.0;
        if !(-LIMIT..LIMIT).contains(&number) {
            return Err(out_of_range(&format!("{number}")));
        }
        return Ok(number as i64);
    }
    if days.is_bigint() {
        let shown = js_sys::BigInt::from(days.clone())
            .to_string(10)
            .ok()
            .and_then(|s| s.as_string())
            .unwrap_or_default();
        return shown.parse::<i64>().map_err(|_| out_of_range(&shown));
    }
    Err(bad_argument("days", "整数", "an integer"))
}

/// The digest of the active rules bundle, as in every verdict (`sha256:<hex>`).
#[wasm_bindgen(js_name = rulesDigest, unchecked_return_type = "string")]
pub fn rules_digest() -> String {
    match active() {
        Ok(engine) => engine.rules_digest().to_string(),
        Err(error) => error.to_json(),
    }
}

/// The labels of every engine concept the pages show (applicant kinds, channels, material forms
/// and statuses, pledge blocks, document kinds) and the printed documents' headings.
#[wasm_bindgen(js_name = labels, unchecked_return_type = "Labels")]
pub fn labels() -> JsValue {
    to_js(&crate::labels::labels())
}

/// What each material of a matter (the version `matter(id, onDate)` returns) must be handed in
/// as, by material id, e.g. `原件1份（纸质）`.
#[wasm_bindgen(
    js_name = materialRequirements,
    unchecked_return_type = "Record<string, Text> | ErrorEnvelope"
)]
pub fn material_requirements(
    #[wasm_bindgen(unchecked_param_type = "string")] id: JsValue,
    #[wasm_bindgen(js_name = onDate, unchecked_optional_param_type = "string | null")]
    on_date: Option<JsValue>,
) -> JsValue {
    let run = || -> Result<JsValue, Error> {
        let id = string_arg(&id, "id")?;
        let on = optional_string_arg(on_date, "onDate")?;
        let engine = active()?;
        let rule = engine.matter(&id, on.as_deref())?;
        let requirements = crate::order::map_of(
            rule.materials
                .iter()
                .map(|m| (m.id.as_str(), Engine::requirement(m))),
        );
        Ok(to_js(&requirements))
    };
    run().unwrap_or_else(|error| error_js(&error))
}

/// The engine's version, as in every verdict.
#[wasm_bindgen(js_name = engineVersion)]
pub fn engine_version() -> String {
    crate::ENGINE_VERSION.to_string()
}

/// SHA-256 of a verdict's JSON bytes (`sha256:<hex>`), as the server computes it.
#[wasm_bindgen(js_name = verdictDigest, unchecked_return_type = "string | ErrorEnvelope")]
pub fn verdict_digest(
    #[wasm_bindgen(js_name = verdictJson, unchecked_param_type = "string")] verdict_json: JsValue,
) -> JsValue {
    match string_arg(&verdict_json, "verdictJson") {
        Ok(text) => JsValue::from_str(&crate::verdict_digest(&text)),
        Err(error) => error_js(&error),
    }
}

/// Replaces the active rules with a bundle (`{"files":[{path,text,json}]}`, as `qiquan bundle
/// rules` prints it; the page module needs each file's `json`, the studio module reads `text`
/// where `json` is missing). A bundle that is malformed or does not lint clean is refused with
/// `rules_invalid`, and the rules in use stay active. Studio module only (feature `whole`): the
/// page module loads only signed bundles (`openBundle`, `addBundleFiles`).
#[cfg(feature = "whole")]
#[wasm_bindgen(js_name = loadRules, unchecked_return_type = "RulesLoaded | ErrorEnvelope")]
pub fn load_rules(
    #[wasm_bindgen(js_name = bundleJson, unchecked_param_type = "string")] bundle_json: JsValue,
) -> JsValue {
    let run = || -> Result<RulesLoaded, Error> {
        let text = string_arg(&bundle_json, "bundleJson")?;
        let bundle = parse_bundle(&text)?;
        let sources: Vec<SourceFile> = bundle
            .files
            .iter()
            .map(|f| SourceFile {
                path: f.path.clone(),
                text: f.text.clone(),
            })
            .collect();
        let forms = crate::order::map_of(
            bundle
                .files
                .iter()
                .filter_map(|f| Some((f.path.as_str(), f.json.as_deref()?))),
        );
        activate(Engine::from_json_forms(&sources, &forms)?)
    };
    result_js(run())
}

/// Makes `engine` the active engine, or says the rules are in use.
fn activate(engine: Engine) -> Result<RulesLoaded, Error> {
    let loaded = summary(&engine);
    LOADED.with(|cell| match cell.try_borrow_mut() {
        Ok(mut slot) => {
            *slot = Some(Rc::new(engine));
            Ok(loaded)
        }
        Err(_) => Err(Error::new(
            ErrorCode::RulesInvalid,
            "规则正在使用中，无法替换。",
            "The rules are in use and cannot be replaced now.",
        )),
    })
}

#[cfg(feature = "signed")]
/// The signed bundle opened with `openBundle` and the files verified against it so far.
struct OpenBundle {
    manifest: crate::signed::Manifest,
    files: Vec<crate::signed::VerifiedFile>,
}

#[cfg(feature = "signed")]
thread_local! {
    static OPENED: RefCell<Option<OpenBundle>> = const { RefCell::new(None) };
}

#[cfg(feature = "signed")]
/// Opens a signed bundle (`bundle.json`'s text, docs/bundles.md) against the trusted public
/// keys (`trustedKeysJson`: a JSON array of 64-hex-digit ed25519 public keys) and returns its
/// manifest (revision, digest, matters, files to fetch). The rules in use do not change until
/// `addBundleFiles`. Errors: `bundle_untrusted_key`, `bundle_signature_invalid`,
/// `bundle_malformed`, `bundle_format_unsupported`.
#[wasm_bindgen(js_name = openBundle, unchecked_return_type = "Manifest | ErrorEnvelope")]
pub fn open_bundle(
    #[wasm_bindgen(js_name = bundleJson, unchecked_param_type = "string")] bundle_json: JsValue,
    #[wasm_bindgen(js_name = trustedKeysJson, unchecked_param_type = "string")]
    trusted_keys_json: JsValue,
) -> JsValue {
    let run = || -> Result<crate::signed::Manifest, Error> {
        let text = string_arg(&bundle_json, "bundleJson")?;
        let keys_text = string_arg(&trusted_keys_json, "trustedKeysJson")?;
        let keys: Vec<String> = serde_json::from_str(&keys_text).map_err(|e| {
            bad_argument(
                "trustedKeysJson",
                "公钥字符串的 JSON 数组",
                "a JSON array of public keys",
            )
            .detail(e.to_string())
        })?;
        let keys = keys
            .iter()
            .map(|k| crate::signed::TrustedKey::from_hex(k))
            .collect::<Result<Vec<_>, Error>>()
            .map_err(|e| e.at("trustedKeysJson"))?;
        let manifest = crate::signed::open(&text, &keys)?;
        OPENED.with(|cell| {
            if let Ok(mut slot) = cell.try_borrow_mut() {
                *slot = Some(OpenBundle {
                    manifest: manifest.clone(),
                    files: Vec::new(),
                });
            }
        });
        Ok(manifest)
    };
    result_js(run())
}

#[cfg(feature = "signed")]
/// Verifies bundle files (each `files/<sha256>.json`'s text) against the bundle opened with
/// `openBundle` and makes the rules of every file verified so far active (e.g. the calendar,
/// the centre and one matter's files: `manifest.files` names each file's matter). Every verdict
/// then names the bundle's `revision`. All or nothing: on any error (`bundle_file_mismatch`,
/// `bundle_malformed`, `bundle_digest_mismatch`, `rules_invalid`, `bundle_not_open`) no file is
/// added and the rules in use stay.
#[wasm_bindgen(js_name = addBundleFiles, unchecked_return_type = "RulesLoaded | ErrorEnvelope")]
pub fn add_bundle_files(
    #[wasm_bindgen(js_name = fileTexts, unchecked_param_type = "string[]")] file_texts: JsValue,
) -> JsValue {
    let run = || -> Result<RulesLoaded, Error> {
        let texts = string_array_arg(&file_texts, "fileTexts")?;
        OPENED.with(|cell| {
            let mut slot = cell.try_borrow_mut().map_err(|_| not_open())?;
            let open = slot.as_mut().ok_or_else(not_open)?;
            let bytes: Vec<&[u8]> = texts.iter().map(|t| t.as_bytes()).collect();
            let verified = crate::signed::verify_files(&open.manifest, &bytes)?;
            let mut files = open.files.clone();
            for file in verified {
                if !files.iter().any(|f| f.sha256 == file.sha256) {
                    files.push(file);
                }
            }
            let engine = crate::Engine::from_signed(&open.manifest, &files)?;
            let loaded = activate(engine)?;
            open.files = files;
            Ok(loaded)
        })
    };
    result_js(run())
}

#[cfg(feature = "signed")]
/// An array of strings, read element by element (no serde-wasm-bindgen reader in the page
/// module for it).
fn string_array_arg(value: &JsValue, name: &str) -> Result<Vec<String>, Error> {
    let bad = |at: Option<u32>| {
        let error = bad_argument(name, "字符串数组", "an array of strings");
        match at {
            Some(i) => error.detail(format!("element {i} is not a string")),
            None => error,
        }
    };
    if !js_sys::Array::is_array(value) {
        return Err(bad(None));
    }
    let array = js_sys::Array::from(value);
    (0..array.length())
        .map(|i| array.get(i).as_string().ok_or_else(|| bad(Some(i))))
        .collect()
}

#[cfg(feature = "signed")]
fn not_open() -> Error {
    Error::new(
        ErrorCode::BundleNotOpen,
        "尚未打开规则包：请先调用 openBundle。",
        "No bundle is open: call openBundle first.",
    )
}

/// Goes back to the rules compiled into the module (studio module only).
#[cfg(feature = "whole")]
#[wasm_bindgen(js_name = resetRules, unchecked_return_type = "RulesLoaded | ErrorEnvelope")]
pub fn reset_rules() -> JsValue {
    LOADED.with(|cell| {
        if let Ok(mut slot) = cell.try_borrow_mut() {
            *slot = None;
        }
    });
    result_js(active().map(|engine| summary(&engine)))
}

fn summary(engine: &Engine) -> RulesLoaded {
    RulesLoaded {
        rules_digest: engine.rules_digest().to_string(),
        rules_revision: engine.rules_revision().map(str::to_string),
        matters: engine.matters().len(),
    }
}

#[cfg(feature = "whole")]
fn parse_bundle(text: &str) -> Result<RulesBundle, Error> {
    let refuse = |en: String, zh: String| {
        Error::new(
            ErrorCode::RulesInvalid,
            format!("规则包无法读取：{zh}"),
            format!("The rules bundle cannot be read: {en}"),
        )
        .at("bundleJson")
    };
    if text.len() > MAX_BUNDLE_BYTES {
        return Err(refuse(
            format!("{} bytes; the limit is {MAX_BUNDLE_BYTES}.", text.len()),
            format!("{} 字节，上限为 {MAX_BUNDLE_BYTES} 字节。", text.len()),
        ));
    }
    serde_json::from_str(text).map_err(|e| {
        refuse(
            "it is not {\"files\": [{\"path\", \"text\", \"json\"}]}.".into(),
            "应为 {\"files\": [{\"path\", \"text\", \"json\"}]}。".into(),
        )
        .detail(e.to_string())
    })
}
