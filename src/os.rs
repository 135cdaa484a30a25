//! What fieldnote asks of the operating system beside the journal: the person's own
//! text editor. Shared by the command line (`add`, `edit`, `comment`) and the interface
//! (`E`, ctrl-e), so it lives below both.

use std::process::ExitStatus;

#[derive(Debug, thiserror::Error)]
pub enum EditorError {
    #[error("cannot start the editor `{editor}`: {source}")]
    Start {
        editor: String,
        source: std::io::Error,
    },
    #[error("the editor `{editor}` exited with {status}; nothing was saved")]
    Failed { editor: String, status: ExitStatus },
    #[error("cannot pass the text to the editor: {0}")]
    File(#[from] std::io::Error),
}

/// Let the person write in `$VISUAL` / `$EDITOR` (else `vi`), starting from `initial`;
/// returns what they saved.
pub fn edit_in_editor(initial: &str) -> Result<String, EditorError> {
    let editor = std::env::var("VISUAL")
        .or_else(|_| std::env::var("EDITOR"))
        .unwrap_or_else(|_| "vi".to_string());
    let file = tempfile::Builder::new()
        .prefix("fieldnote-entry-")
        .suffix(".md")
        .tempfile()?;
    std::fs::write(file.path(), initial)?;
    // The editor command may carry arguments (`code --wait`): let the shell split it.
    let status = std::process::Command::new("sh")
        .arg("-c")
        .arg(format!("{editor} \"$1\""))
        .arg("sh")
        .arg(file.path())
        .status()
        .map_err(|source| EditorError::Start {
            editor: editor.clone(),
            source,
        })?;
    if !status.success() {
        return Err(EditorError::Failed { editor, status });
    }
    Ok(std::fs::read_to_string(file.path())?)
}
