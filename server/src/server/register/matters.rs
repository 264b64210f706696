//! The matter file an application is read under.

use super::error::RegisterResult;
use crate::server::AppState;
use qiquan::MatterFile;

/// The matter version an application was decided under (or the newest, for a draft).
pub(crate) fn matter_file(
    state: &AppState,
    matter: &str,
    decided_at: Option<&str>,
) -> RegisterResult<MatterFile> {
    let on = decided_at.and_then(|d| d.get(..10));
    Ok(state.engine().matter(matter, on)?.clone())
}
