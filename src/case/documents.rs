//! The documents of a case after acceptance, rendered by the engine like the four acceptance
//! documents: 特别程序告知书, 延期告知书, 准予 / 不予行政许可决定书, 终止办理告知书, 送达回证.

use serde::Serialize;

use crate::model::Text;

/// A document a case step issues.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[cfg_attr(feature = "wasm", derive(tsify::Tsify))]
#[serde(rename_all = "snake_case")]
pub enum CaseDocumentKind {
    /// 特别程序告知书 (行政许可法 §45).
    SpecialProcedure,
    /// 延期告知书 (§42).
    Extension,
    /// 准予行政许可决定书 (§38(1)).
    Grant,
    /// 不予行政许可决定书 (§38(2)).
    Denial,
    /// 终止办理告知书: the pledge was not kept.
    Termination,
    /// 送达回证 (§44).
    ServiceReceipt,
}

impl CaseDocumentKind {
    pub const ALL: [CaseDocumentKind; 6] = [
        Self::SpecialProcedure,
        Self::Extension,
        Self::Grant,
        Self::Denial,
        Self::Termination,
        Self::ServiceReceipt,
    ];

    /// The document's title.
    pub fn title(self) -> Text {
        let (zh, en) = match self {
            Self::SpecialProcedure => ("特别程序告知书", "Notice of special procedure"),
            Self::Extension => ("延期告知书", "Notice of extension"),
            Self::Grant => ("准予行政许可决定书", "Decision to grant the licence"),
            Self::Denial => ("不予行政许可决定书", "Decision to refuse the licence"),
            Self::Termination => ("终止办理告知书", "Notice of termination"),
            Self::ServiceReceipt => ("送达回证", "Proof of service"),
        };
        Text {
            zh: zh.into(),
            en: en.into(),
        }
    }

    /// The `{kind}` of the centre's 文号 pattern.
    pub fn code(self) -> &'static str {
        match self {
            Self::SpecialProcedure => "特",
            Self::Extension => "延",
            Self::Grant => "许",
            Self::Denial => "不许",
            Self::Termination => "终",
            Self::ServiceReceipt => "送",
        }
    }
}
