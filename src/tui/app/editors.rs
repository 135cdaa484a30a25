//! The entry editor's and the comment box's state.

use super::*;

/// The fields of the entry editor, in Tab order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    ObservedAt,
    Kind,
    Accounts,
    Title,
    Url,
    Informant,
    Metrics,
    Body,
    Codes,
}

impl Field {
    pub const ORDER: [Field; 9] = [
        Field::ObservedAt,
        Field::Kind,
        Field::Accounts,
        Field::Title,
        Field::Url,
        Field::Informant,
        Field::Metrics,
        Field::Body,
        Field::Codes,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Field::ObservedAt => "Observed",
            Field::Kind => "Kind",
            Field::Accounts => "Accounts",
            Field::Title => "Title",
            Field::Url => "URL",
            Field::Informant => "Informant",
            Field::Metrics => "Metrics",
            Field::Body => "Body",
            Field::Codes => "Codes",
        }
    }
}

#[derive(Debug)]
pub struct EntryEditor {
    /// The entry as it was before editing; `None` for a new entry.
    pub original: Option<Entry>,
    pub draft_key: String,
    pub field: Field,
    pub observed_at: LineInput,
    pub kind: Kind,
    pub accounts: Vec<String>,
    pub title: LineInput,
    pub url: LineInput,
    pub informant: LineInput,
    /// `views 45210 likes 3120 comments 210 shares 12 saves 40 replied 61`.
    pub metrics: LineInput,
    pub body: TextArea<'static>,
    pub codes: Vec<String>,
    pub error: Option<String>,
    /// Changed since opened.
    pub dirty: bool,
    /// Changed since the last draft was written.
    pub unsaved_draft: bool,
    /// Ticks since the last draft was written.
    pub ticks_since_draft: u32,
}

impl EntryEditor {
    pub fn new_entry(now: Moment, draft_key: String) -> EntryEditor {
        EntryEditor {
            original: None,
            draft_key,
            field: Field::Body,
            observed_at: LineInput::suggested(&now.short()),
            kind: Kind::Observation,
            accounts: Vec::new(),
            title: LineInput::default(),
            url: LineInput::default(),
            informant: LineInput::default(),
            metrics: LineInput::default(),
            body: body_area(""),
            codes: Vec::new(),
            error: None,
            dirty: false,
            unsaved_draft: false,
            ticks_since_draft: 0,
        }
    }

    pub fn edit(entry: &Entry) -> EntryEditor {
        EntryEditor {
            original: Some(entry.clone()),
            draft_key: entry.id.clone(),
            field: Field::Body,
            observed_at: LineInput::suggested(&entry.observed_at.to_string()),
            kind: entry.kind,
            accounts: entry.accounts.clone(),
            title: LineInput::new(&entry.title),
            url: LineInput::new(&entry.url),
            informant: LineInput::new(&entry.informant),
            metrics: LineInput::new(&metrics_text(entry.metrics.as_deref())),
            body: body_area(&entry.body),
            codes: entry.codes.clone(),
            error: None,
            dirty: false,
            unsaved_draft: false,
            ticks_since_draft: 0,
        }
    }

    pub fn from_draft(draft: &Draft, original: Option<&Entry>) -> EntryEditor {
        EntryEditor {
            original: original.cloned(),
            draft_key: draft.key.clone(),
            field: Field::Body,
            observed_at: LineInput::new(&draft.observed_at),
            kind: Kind::parse(&draft.kind).unwrap_or_default(),
            accounts: draft.accounts.clone(),
            title: LineInput::new(&draft.title),
            url: LineInput::new(&draft.url),
            informant: LineInput::new(&draft.informant),
            metrics: LineInput::new(&draft.metrics),
            body: body_area(&draft.body),
            codes: draft.codes.clone(),
            error: None,
            dirty: true,
            unsaved_draft: false,
            ticks_since_draft: 0,
        }
    }

    /// Does the form show `field` for this kind of entry? A post has a link and its
    /// numbers, an interview an informant, an observation a link; a memo none of them.
    pub fn shows(&self, field: Field) -> bool {
        match field {
            Field::Url => matches!(self.kind, Kind::Content | Kind::Observation),
            Field::Informant => self.kind == Kind::Interview,
            Field::Metrics => self.kind == Kind::Content,
            _ => true,
        }
    }

    pub fn body_text(&self) -> String {
        let mut text = self.body.lines().join("\n");
        if !text.is_empty() && !text.ends_with('\n') {
            text.push('\n');
        }
        text
    }

    pub fn set_body(&mut self, text: &str) {
        self.body = body_area(text);
        self.changed();
    }

    pub fn changed(&mut self) {
        self.dirty = true;
        self.unsaved_draft = true;
    }

    pub fn to_draft(&self, saved_at: Moment) -> Draft {
        Draft {
            key: self.draft_key.clone(),
            entry_id: self
                .original
                .as_ref()
                .map(|e| e.id.clone())
                .unwrap_or_default(),
            saved_at: saved_at.to_string(),
            observed_at: self.observed_at.text.clone(),
            kind: self.kind.as_str().to_string(),
            accounts: self.accounts.clone(),
            codes: self.codes.clone(),
            title: self.title.text.clone(),
            body: self.body_text(),
            url: self.url.text.clone(),
            informant: self.informant.text.clone(),
            metrics: self.metrics.text.clone(),
            live: false,
        }
    }
}

/// Metrics as the editor shows them: `views 45210 likes 3120 …`.
pub fn metrics_text(metrics: Option<&crate::model::Metrics>) -> String {
    metrics.map_or_else(String::new, |m| m.describe(|n| n.to_string()).join(" "))
}

/// A live session being noted: the moments so far, the line being typed, and the
/// moment being fixed when one is.
#[derive(Debug, Clone)]
pub struct LiveCapture {
    pub session: LiveSession,
    pub input: LineInput,
    /// The moment (index) being fixed: its text is in `input`, Enter replaces it.
    pub fixing: Option<usize>,
    pub draft_key: String,
}

impl LiveCapture {
    pub fn new(session: LiveSession) -> LiveCapture {
        let key = format!("live-{}", session.began.civil().strftime("%Y%m%d-%H%M%S"));
        LiveCapture {
            session,
            input: LineInput::default(),
            fixing: None,
            draft_key: key,
        }
    }

    /// A moment as typed: its words, then its codes as `#id`.
    pub fn typed(m: &LiveMoment) -> String {
        let codes: Vec<String> = m.codes.iter().map(|c| format!("#{c}")).collect();
        [m.text.clone(), codes.join(" ")]
            .join(" ")
            .trim()
            .to_string()
    }

    /// The session as a draft: each moment a line, its codes typed after its words, so
    /// that a draft restored is the session as it was.
    pub fn to_draft(&self, saved_at: Moment) -> Draft {
        let s = &self.session;
        let body: String = s
            .in_order()
            .into_iter()
            .map(|m| format!("{}{}\n", s.stamp(m.at), LiveCapture::typed(m)))
            .collect();
        Draft {
            key: self.draft_key.clone(),
            entry_id: String::new(),
            saved_at: saved_at.to_string(),
            observed_at: s.began.to_string(),
            kind: Kind::Observation.as_str().to_string(),
            accounts: vec![s.account.clone()],
            codes: vec![crate::model::live::LIVE_CODE.to_string()],
            title: s.title.clone(),
            body,
            url: String::new(),
            informant: String::new(),
            metrics: String::new(),
            live: true,
        }
    }

    /// The session a live draft holds (`None` when it cannot be read back).
    pub fn from_draft(draft: &Draft) -> Option<LiveCapture> {
        let began = Moment::from_toml(&draft.observed_at.parse().ok()?).ok()?;
        let mut session = LiveSession::new(draft.accounts.first()?, &draft.title, began);
        for line in draft.body.lines() {
            let Some(words) = crate::model::live::moment_words(line) else {
                continue;
            };
            let clock: jiff::civil::Time = line.get(1..9)?.parse().ok()?;
            let mut at = began.civil().date().to_datetime(clock);
            if at < began.civil() {
                // Past midnight.
                at = at.checked_add(jiff::SignedDuration::from_hours(24)).ok()?;
            }
            let offset = began.offset;
            let timestamp = offset.to_timestamp(at).ok()?;
            let (text, codes) = crate::model::live::split_codes(words);
            session.note(Moment::new(timestamp, offset), text, codes);
        }
        let mut capture = LiveCapture::new(session);
        capture.draft_key = draft.key.clone();
        Some(capture)
    }
}

fn body_area(text: &str) -> TextArea<'static> {
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    if lines.is_empty() {
        lines.push(String::new());
    }
    let mut area = TextArea::new(lines);
    area.set_wrap_mode(WrapMode::WordOrGlyph);
    area.set_placeholder_text(
        "What happened? (Ctrl-s saves, Esc closes, Tab moves between fields)",
    );
    area
}

/// The small editor a comment is written in.
#[derive(Debug)]
pub struct CommentEditor {
    pub entry_id: String,
    pub body: TextArea<'static>,
    pub error: Option<String>,
}

impl CommentEditor {
    pub fn new(entry_id: String) -> CommentEditor {
        let mut body = TextArea::default();
        body.set_wrap_mode(WrapMode::WordOrGlyph);
        body.set_placeholder_text("Your comment (ctrl-s sends, esc cancels)");
        CommentEditor {
            entry_id,
            body,
            error: None,
        }
    }

    pub fn text(&self) -> String {
        self.body.lines().join("\n").trim_end().to_string()
    }
}
