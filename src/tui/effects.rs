//! Performing what `update` asks for: saves through the store (refusals come back as
//! actions), commits, drafts, the external editor, the viewer, attachments.

use std::io;
use std::path::Path;

use ratatui::backend::Backend;

use super::app::{Access, App};

use super::action::{Action, Effect, NotSaved, SaveOutcome};
use super::background::GitJob;
use crate::store::{StoreError, media};

use super::draft;
use super::runtime::Runtime;
use super::system::{complete_path, expand_home, open_in_viewer};

impl<B: Backend<Error = io::Error>> Runtime<'_, B> {
    /// Perform effects in order. A failed save stops the batch, so that what comes after
    /// it (removing the draft) happens only when the save succeeded; the draft written
    /// just before a failed save goes back with the failure, so its text is not lost.
    pub(super) fn perform(&mut self, app: &App, effects: Vec<Effect>) -> Vec<Action> {
        let mut out = Vec::new();
        let mut draft = None;
        for effect in effects {
            if let Effect::WriteDraft(d) = &effect {
                draft = Some(d.clone());
            }
            match self.perform_one(app, effect) {
                Ok(Some(action)) => out.push(action),
                Ok(None) => {}
                Err(mut failed) => {
                    if let Action::Saved(SaveOutcome::NotSaved(n)) = &mut failed {
                        n.draft = draft.take();
                    }
                    out.push(failed);
                    break;
                }
            }
        }
        out
    }

    /// After a save: commit it in the background when `[git] autocommit` is on. In
    /// reviewer mode the commit's author is the reviewer.
    pub(super) fn autocommit(&mut self, app: &App, paths: Vec<String>, message: String) {
        if !app.journal.settings.git.autocommit {
            return;
        }
        let author = (app.mode == Access::CommentsOnly).then(|| app.author.clone());
        self.background.send(GitJob::Commit {
            paths,
            message,
            author,
            settings: Box::new(app.journal.settings.clone()),
        });
        self.background.refresh_status();
    }

    pub(super) fn perform_one(
        &mut self,
        app: &App,
        effect: Effect,
    ) -> Result<Option<Action>, Action> {
        let failed = |message: String| {
            Action::Saved(SaveOutcome::Failed {
                message,
                restore: vec![],
                remove: vec![],
            })
        };
        let local = self.host.is_local();
        match effect {
            Effect::Quit => Ok(None),
            Effect::SaveEntries {
                entries,
                previous,
                message,
            } => {
                for (i, e) in entries.iter().enumerate() {
                    if let Err(err) = self.store.save_entry(e) {
                        let (restore, remove) = unsaved(&entries[i..], &previous, |e| e.id.clone());
                        let conflict = matches!(
                            err,
                            StoreError::ChangedOnDisk { .. } | StoreError::Unparseable { .. }
                        );
                        return Err(Action::Saved(SaveOutcome::NotSaved(Box::new(NotSaved {
                            message: err.to_string(),
                            label: message,
                            restore,
                            remove: remove.into_iter().map(|e| e.id).collect(),
                            unsaved: entries[i..].to_vec(),
                            draft: None,
                            conflict,
                        }))));
                    }
                }
                let mut paths: Vec<String> =
                    entries.iter().map(|e| self.store.entry_path(e)).collect();
                paths.extend(
                    entries
                        .iter()
                        .flat_map(|e| e.screenshots.iter().map(|s| s.path.clone())),
                );
                let commit_message = crate::store::git::entries_message(&entries, &message);
                self.autocommit(app, paths, commit_message);
                Ok(Some(Action::Saved(SaveOutcome::Ok(message))))
            }
            Effect::TrashEntry(id) => {
                let now = crate::model::Moment::in_zone(
                    crate::store::clock::now(),
                    &app.journal.settings.time_zone(),
                );
                match self.store.trash_entry(&app.journal, &id, now) {
                    Ok(trashed) => {
                        let message = format!(
                            "remove entry {id}: {}",
                            crate::model::text::one_line(&trashed.title)
                        );
                        self.autocommit(app, trashed.files().cloned().collect(), message);
                        Ok(Some(Action::Trashed(id, Ok(()))))
                    }
                    Err(e) => Ok(Some(Action::Trashed(id, Err(e.to_string())))),
                }
            }
            Effect::SaveAccount { account, message } => {
                self.store
                    .save_account(&account)
                    .map_err(|e| failed(e.to_string()))?;
                let path = crate::store::paths::of_account(&account);
                self.autocommit(app, vec![path], message);
                Ok(None)
            }
            Effect::SaveCodebook { codebook, message } => {
                self.store
                    .save_codebook(&codebook)
                    .map_err(|e| failed(e.to_string()))?;
                let path = crate::store::paths::CODEBOOK.to_string();
                self.autocommit(app, vec![path], message);
                Ok(None)
            }
            Effect::SaveComments { comments, previous } => {
                for (i, c) in comments.iter().enumerate() {
                    if let Err(err) = self.store.save_comment(c) {
                        let key = |c: &crate::model::Comment| (c.entry.clone(), c.id.clone());
                        let (restore, remove) = unsaved(&comments[i..], &previous, key);
                        return Err(Action::CommentsFailed {
                            message: err.to_string(),
                            restore,
                            remove: remove.iter().map(key).collect(),
                        });
                    }
                }
                let paths = comments.iter().map(crate::store::comment_path).collect();
                let message = crate::store::git::comments_message(&comments, &previous);
                self.autocommit(app, paths, message);
                Ok(None)
            }
            Effect::LoadHistory(entry_id) => {
                match app.journal.entry(&entry_id) {
                    Some(e) => self.background.send(GitJob::History {
                        path: self.store.entry_path(e),
                        entry_id,
                    }),
                    None => return Ok(Some(Action::History(entry_id, Ok(Vec::new())))),
                }
                Ok(None)
            }
            Effect::Attach { .. } | Effect::OpenInViewer(_) | Effect::EditExternally(_)
                if !local =>
            {
                Err(Action::NotDone(
                    "not available in a remote session: nothing runs on the server for you".into(),
                ))
            }
            Effect::CompletePath(_) if !local => Ok(Some(Action::PathCompletions(Vec::new()))),
            Effect::WriteDraft(_) | Effect::RemoveDraft(_) if !local => Ok(None),
            Effect::Attach { entry_id, path } => {
                let Some(entry) = app.journal.entry(&entry_id) else {
                    return Ok(None);
                };
                let source = expand_home(&path);
                let result = media::attach(
                    self.store.root(),
                    &app.journal,
                    Path::new(&source),
                    &entry.observed_at,
                )
                .map_err(|e| e.to_string());
                Ok(Some(Action::Attached(entry_id, result)))
            }
            Effect::OpenInViewer(rel) => {
                let path = media::resolve_inside(self.store.root(), &rel)
                    .map_err(|e| Action::NotDone(e.to_string()))?;
                open_in_viewer(&path).map_err(Action::NotDone)?;
                Ok(None)
            }
            Effect::CompletePath(text) => Ok(Some(Action::PathCompletions(complete_path(&text)))),
            Effect::EditExternally(text) => {
                ratatui::restore();
                let result = crate::os::edit_in_editor(&text).map_err(|e| e.to_string());
                let _ = ratatui::crossterm::terminal::enable_raw_mode();
                let _ = ratatui::crossterm::execute!(
                    io::stdout(),
                    ratatui::crossterm::terminal::EnterAlternateScreen
                );
                let _ = self.terminal.clear();
                Ok(Some(Action::ExternalEditDone(result)))
            }
            // A draft that cannot be written (a full disk) must not stop the save after it.
            Effect::WriteDraft(d) => Ok(draft::write(self.store.root(), &d)
                .err()
                .map(|e| Action::DraftNotWritten(e.to_string()))),
            Effect::RemoveDraft(key) => {
                let _ = draft::remove(self.store.root(), &key);
                Ok(None)
            }
            Effect::Reload => {
                let access = self.store.access();
                match crate::store::open(self.store.root()) {
                    Ok(opened) => {
                        self.store = opened.store;
                        self.store.set_access(access);
                        let problems = opened.problems.iter().filter(|p| p.is_error()).count();
                        Ok(Some(Action::Reloaded(Box::new(opened.journal), problems)))
                    }
                    Err(e) => Err(failed(e.to_string())),
                }
            }
        }
    }
}

/// After a write failed part-way: of the records not written (`unsaved`), the earlier
/// versions to put back, and the new ones (with no earlier version) to take out.
fn unsaved<T: Clone, K: PartialEq>(
    unsaved: &[T],
    previous: &[T],
    key: impl Fn(&T) -> K,
) -> (Vec<T>, Vec<T>) {
    let restore = previous
        .iter()
        .filter(|p| unsaved.iter().any(|u| key(u) == key(p)))
        .cloned()
        .collect();
    let remove = unsaved
        .iter()
        .filter(|u| !previous.iter().any(|p| key(p) == key(u)))
        .cloned()
        .collect();
    (restore, remove)
}
