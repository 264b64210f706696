//! The plain-text form of a notice (CLI, SMS, e-mail), rendered from its structure only.

use crate::model::Text;
use crate::verdict::Notice;

/// Both languages, line by line, in the order a printed document shows its parts.
pub(super) fn render(notice: &Notice) -> Text {
    Text {
        zh: render_one(notice, |t| &t.zh, Words::ZH),
        en: render_one(notice, |t| &t.en, Words::EN),
    }
}

/// The few connecting words of the text form.
struct Words {
    number: &'static str,
    addressee_end: &'static str,
    basis_open: &'static str,
    basis_close: &'static str,
    fact_sep: &'static str,
    note: &'static str,
    sample: &'static str,
    phone: &'static str,
}

impl Words {
    const ZH: Words = Words {
        number: "文号：",
        addressee_end: "：",
        basis_open: "（依据：",
        basis_close: "）",
        fact_sep: "：",
        note: "注：",
        sample: "【样本，不得作为正式文书】",
        phone: "咨询电话：",
    };
    const EN: Words = Words {
        number: "No. ",
        addressee_end: ":",
        basis_open: " (Basis: ",
        basis_close: ")",
        fact_sep: ": ",
        note: "Note: ",
        sample: "[SPECIMEN: not to be issued]",
        phone: "Enquiries: ",
    };
}

fn render_one(notice: &Notice, pick: impl Fn(&Text) -> &String, w: Words) -> String {
    let mut lines: Vec<String> = Vec::with_capacity(16 + notice.items.len());
    if notice.sample {
        lines.push(w.sample.to_string());
    }
    lines.push(pick(&notice.title).clone());
    lines.push(format!("{}{}", w.number, notice.number.text));
    lines.push(format!(
        "{}{}",
        pick(&notice.addressee.text),
        w.addressee_end
    ));
    lines.push(pick(&notice.opening).clone());
    for item in &notice.items {
        lines.push(format!(
            "{}. {}{}{}{}",
            item.number,
            pick(&item.text),
            w.basis_open,
            item.basis,
            w.basis_close
        ));
    }
    for fact in &notice.facts {
        lines.push(format!(
            "{}{}{}",
            pick(&fact.label),
            w.fact_sep,
            pick(&fact.value)
        ));
    }
    if let Some(rights) = &notice.rights {
        lines.push(format!(
            "{}{}{}{}",
            pick(&rights.text),
            w.basis_open,
            rights.basis,
            w.basis_close
        ));
    }
    lines.push(pick(&notice.closing).clone());
    for note in &notice.notes {
        lines.push(format!("{}{}", w.note, pick(note)));
    }
    lines.push(pick(&notice.issuer.office).clone());
    lines.push(pick(&notice.date_text).clone());
    if let Some(phone) = &notice.issuer.phone {
        lines.push(format!("{}{phone}", w.phone));
    }
    let mut text = lines.join("\n");
    text.push('\n');
    text
}
