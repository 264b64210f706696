//! How an application reaches the centre (办理形式): a word of both the rule files (a matter's
//! electronic channels, `model.rs`) and the submission (`submission.rs`), so it lives in a file
//! of its own and neither of them imports the other for it. Re-exported as
//! `qiquan::submission::Channel`.

use serde::{Deserialize, Serialize};

// The channel an application came through (GB/T 39046-2020 办理形式). (No doc comment: it would
// become the rule schema's description of `Channel`.)
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize)]
#[cfg_attr(feature = "wasm", derive(tsify::Tsify))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    /// 窗口办理 (GB/T 39046-2020 办理形式 1)
    #[default]
    Window,
    /// 电脑端网上办理 (办理形式 2)
    Online,
    /// 移动端网上申请 (办理形式 3)
    MobileOnline,
    /// 快递申请 (办理形式 4): received on the day the centre signs for the post
    Mail,
    /// 自助终端 (a self-service kiosk in the hall; counted like the window)
    Kiosk,
}

impl Channel {
    /// Applied over the internet (computer or mobile): accepted from the next working day
    /// unless received on a working day before the online cut-off.
    pub fn is_online(self) -> bool {
        matches!(self, Self::Online | Self::MobileOnline)
    }
}
