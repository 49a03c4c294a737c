//! `nsa-migrate lsp`: a language server over stdio. The editor's buffers are analysed as they
//! are typed (`analysis`, the run's own per-file step on the buffer's text); their problems are
//! published as diagnostics, and their fixes offered as code actions: a quick fix per rule,
//! `source.fixAll.nsa-migrate`, and the folder rule's change as a workspace edit that creates
//! the actions module.
//!
//! One thread does the work, in order. Changes that arrive together are applied first and the
//! buffer analysed once; a panic in a rule becomes a log message and no diagnostics for that
//! buffer, never a dead server.

mod analysis;
mod text;

use analysis::{Analysis, Config, analyze};
use lsp_server::{Connection, ErrorCode, Message, Notification, Request, Response};
use lsp_types::notification::{
    DidChangeTextDocument, DidCloseTextDocument, DidOpenTextDocument, DidSaveTextDocument, LogMessage,
    Notification as _, PublishDiagnostics,
};
use lsp_types::request::{CodeActionRequest, Request as _};
use lsp_types::{
    CodeAction, CodeActionKind, CodeActionOptions, CodeActionOrCommand, CodeActionParams, CodeActionProviderCapability,
    CodeDescription, CreateFile, CreateFileOptions, Diagnostic, DiagnosticSeverity, DocumentChangeOperation,
    DocumentChanges, InitializeParams, LogMessageParams, MessageType, NumberOrString, OneOf,
    OptionalVersionedTextDocumentIdentifier, PublishDiagnosticsParams, ResourceOp, SaveOptions, ServerCapabilities,
    TextDocumentEdit, TextDocumentSyncCapability, TextDocumentSyncKind, TextDocumentSyncOptions,
    TextDocumentSyncSaveOptions, TextEdit, Uri, WorkspaceEdit,
};
use std::collections::HashMap;
use std::path::PathBuf;
use std::process::ExitCode;
use text::{ClientUris, LineIndex, apply_change, path_of, uri_of};

/// The code action kind of "fix every nsa-migrate problem in this file".
const FIX_ALL: &str = "source.fixAll.nsa-migrate";

/// Serves on stdin/stdout until the client says `exit`.
pub fn serve() -> ExitCode {
    crate::engine::panics::quiet_caught_panics();
    let (connection, io_threads) = Connection::stdio();
    let code = match run(&connection) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            crate::report::print_fatal(&format!("language server: {error}"));
            ExitCode::from(1)
        }
    };
    drop(connection);
    let _ = io_threads.join();
    code
}

struct Document {
    path: PathBuf,
    text: String,
    version: i32,
    /// The analysis of this version of the text; `None` until it is made.
    analysis: Option<Analysis>,
}

struct Server<'c> {
    connection: &'c Connection,
    config: Config,
    /// The workspace folders; a buffer outside them is left alone (none given: every buffer).
    roots: Vec<PathBuf>,
    documents: HashMap<Uri, Document>,
    parsers: crate::parse::Parsers,
    uris: ClientUris,
}

fn run(connection: &Connection) -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    let (id, mut params) = connection.initialize_start()?;
    let mut uris = ClientUris::default();
    uris.accept(&mut params);
    let params: InitializeParams = serde_json::from_value(params)?;
    let capabilities = ServerCapabilities {
        text_document_sync: Some(TextDocumentSyncCapability::Options(TextDocumentSyncOptions {
            open_close: Some(true),
            change: Some(TextDocumentSyncKind::INCREMENTAL),
            save: Some(TextDocumentSyncSaveOptions::SaveOptions(SaveOptions {
                include_text: Some(false),
            })),
            ..TextDocumentSyncOptions::default()
        })),
        code_action_provider: Some(CodeActionProviderCapability::Options(CodeActionOptions {
            code_action_kinds: Some(vec![CodeActionKind::QUICKFIX, CodeActionKind::from(FIX_ALL)]),
            ..CodeActionOptions::default()
        })),
        ..ServerCapabilities::default()
    };
    connection.initialize_finish(
        id,
        serde_json::json!({
            "capabilities": capabilities,
            "serverInfo": { "name": "nsa-migrate", "version": env!("CARGO_PKG_VERSION") },
        }),
    )?;
    let (config, problems) = Config::from_options(params.initialization_options.as_ref());
    #[allow(deprecated)] // rootUri: what a client without workspace folders sends.
    let roots: Vec<PathBuf> = match &params.workspace_folders {
        Some(folders) => folders.iter().filter_map(|f| path_of(&f.uri)).collect(),
        None => params.root_uri.iter().filter_map(path_of).collect(),
    };
    let mut server = Server {
        connection,
        config,
        roots,
        documents: HashMap::new(),
        parsers: crate::parse::Parsers::new(),
        uris,
    };
    for problem in problems {
        server.log(MessageType::WARNING, &format!("nsa-migrate settings: {problem}"));
    }
    while let Ok(message) = connection.receiver.recv() {
        // Whatever else has arrived is taken in first, so a burst of keystrokes costs one analysis.
        let mut batch = vec![message];
        batch.extend(connection.receiver.try_iter());
        for mut message in batch {
            match &mut message {
                Message::Request(request) => server.uris.accept(&mut request.params),
                Message::Notification(notification) => server.uris.accept(&mut notification.params),
                Message::Response(_) => {}
            }
            match message {
                Message::Request(request) => {
                    if connection.handle_shutdown(&request)? {
                        return Ok(());
                    }
                    server.request(request);
                }
                Message::Notification(notification) if notification.method == "exit" => {
                    return Err("exit without shutdown".into());
                }
                Message::Notification(notification) => server.notification(notification),
                Message::Response(_) => {}
            }
        }
        server.publish_stale();
    }
    Ok(())
}

impl Server<'_> {
    fn send(&self, message: impl Into<Message>) {
        let mut message = message.into();
        match &mut message {
            Message::Notification(notification) => self.uris.restore(&mut notification.params),
            Message::Response(response) => {
                if let Ok(result) = &mut response.response_result {
                    self.uris.restore(result);
                }
            }
            Message::Request(request) => self.uris.restore(&mut request.params),
        }
        let _ = self.connection.sender.send(message);
    }

    fn log(&self, typ: MessageType, message: &str) {
        let params = LogMessageParams {
            typ,
            message: message.to_string(),
        };
        self.send(Notification::new(LogMessage::METHOD.to_string(), params));
    }

    /// A notification's parameters; what cannot be read is logged, not taken for nothing.
    fn params<T: serde::de::DeserializeOwned>(&self, notification: &Notification) -> Option<T> {
        match serde_json::from_value(notification.params.clone()) {
            Ok(params) => Some(params),
            Err(error) => {
                let message = format!(
                    "nsa-migrate could not read a {} notification: {error}",
                    notification.method
                );
                self.log(MessageType::WARNING, &message);
                None
            }
        }
    }

    fn notification(&mut self, notification: Notification) {
        match notification.method.as_str() {
            DidOpenTextDocument::METHOD => {
                let Some(params) = self.params::<lsp_types::DidOpenTextDocumentParams>(&notification) else {
                    return;
                };
                let document = params.text_document;
                let Some(path) = path_of(&document.uri).filter(|p| self.in_workspace(p)) else {
                    return;
                };
                if crate::parse::Lang::from_path(&path).is_none() {
                    return;
                }
                self.documents.insert(
                    document.uri,
                    Document {
                        path,
                        text: document.text,
                        version: document.version,
                        analysis: None,
                    },
                );
            }
            DidChangeTextDocument::METHOD => {
                let Some(params) = self.params::<lsp_types::DidChangeTextDocumentParams>(&notification) else {
                    return;
                };
                let Some(document) = self.documents.get_mut(&params.text_document.uri) else {
                    return;
                };
                for change in &params.content_changes {
                    apply_change(&mut document.text, change);
                }
                document.version = params.text_document.version;
                document.analysis = None;
            }
            DidSaveTextDocument::METHOD => {
                let Some(params) = self.params::<lsp_types::DidSaveTextDocumentParams>(&notification) else {
                    return;
                };
                // The files beside it may have changed on disk: analysed again.
                if let Some(document) = self.documents.get_mut(&params.text_document.uri) {
                    document.analysis = None;
                }
            }
            DidCloseTextDocument::METHOD => {
                let Some(params) = self.params::<lsp_types::DidCloseTextDocumentParams>(&notification) else {
                    return;
                };
                if self.documents.remove(&params.text_document.uri).is_some() {
                    self.publish(params.text_document.uri, Vec::new(), None);
                }
            }
            _ => {}
        }
    }

    fn request(&mut self, request: Request) {
        if request.method != CodeActionRequest::METHOD {
            let message = format!("nsa-migrate does not answer {}", request.method);
            self.send(Response::new_err(request.id, ErrorCode::MethodNotFound as i32, message));
            return;
        }
        let params: CodeActionParams = match serde_json::from_value(request.params) {
            Ok(params) => params,
            Err(error) => {
                self.send(Response::new_err(
                    request.id,
                    ErrorCode::InvalidParams as i32,
                    error.to_string(),
                ));
                return;
            }
        };
        let uri = params.text_document.uri.clone();
        self.analyse_if_stale(&uri);
        let actions = self.code_actions(&params);
        self.send(Response::new_ok(request.id, actions));
    }

    fn in_workspace(&self, path: &std::path::Path) -> bool {
        self.roots.is_empty() || self.roots.iter().any(|root| path.starts_with(root))
    }

    /// Analyses every buffer changed since its last analysis and publishes its diagnostics.
    fn publish_stale(&mut self) {
        let stale: Vec<Uri> = self
            .documents
            .iter()
            .filter(|(_, d)| d.analysis.is_none())
            .map(|(uri, _)| uri.clone())
            .collect();
        for uri in stale {
            self.analyse_if_stale(&uri);
            let Some(document) = self.documents.get(&uri) else {
                continue;
            };
            let diagnostics = document
                .analysis
                .as_ref()
                .map(|a| diagnostics(document, a))
                .unwrap_or_default();
            let version = Some(document.version);
            self.publish(uri, diagnostics, version);
        }
    }

    fn publish(&self, uri: Uri, diagnostics: Vec<Diagnostic>, version: Option<i32>) {
        let params = PublishDiagnosticsParams {
            uri,
            diagnostics,
            version,
        };
        self.send(Notification::new(PublishDiagnostics::METHOD.to_string(), params));
    }

    fn analyse_if_stale(&mut self, uri: &Uri) {
        let Some(document) = self.documents.get(uri) else {
            return;
        };
        if document.analysis.is_some() {
            return;
        }
        // The open buffers a folder rule may read beside this one (its sibling modules).
        let folder = document.path.parent().unwrap_or(&document.path);
        let siblings: Vec<PathBuf> = self
            .config
            .folder_transforms
            .iter()
            .flat_map(|t| t.siblings().iter().map(|s| folder.join(s)))
            .collect();
        let open: Vec<(PathBuf, String)> = self
            .documents
            .values()
            .filter(|d| siblings.contains(&d.path))
            .map(|d| (d.path.clone(), d.text.clone()))
            .collect();
        let (path, text) = (document.path.clone(), document.text.clone());
        let (config, parsers) = (&self.config, &mut self.parsers);
        let analysis = match crate::engine::panics::catching(|| analyze(&path, &text, config, &open, parsers)) {
            Ok(analysis) => analysis,
            Err(panic) => {
                self.parsers = crate::parse::Parsers::new();
                let shown = path.display();
                self.log(
                    MessageType::ERROR,
                    &format!("nsa-migrate crashed on {shown} ({panic}); no diagnostics for it — please report it"),
                );
                Analysis::default()
            }
        };
        if let Some(document) = self.documents.get_mut(uri) {
            document.analysis = Some(analysis);
        }
    }

    fn code_actions(&self, params: &CodeActionParams) -> Vec<CodeActionOrCommand> {
        let Some(document) = self.documents.get(&params.text_document.uri) else {
            return Vec::new();
        };
        let Some(analysis) = &document.analysis else {
            return Vec::new();
        };
        let index = LineIndex::new(&document.text);
        let wants = |kind: &str| {
            params.context.only.as_ref().is_none_or(|only| {
                only.iter()
                    .any(|k| kind == k.as_str() || kind.starts_with(&format!("{}.", k.as_str())))
            })
        };
        let uri = &params.text_document.uri;
        let (start, end) = (index.offset(params.range.start), index.offset(params.range.end));
        let all_diagnostics = diagnostics(document, analysis);
        let open_version = |path: &std::path::Path| self.documents.values().find(|d| d.path == path).map(|d| d.version);
        let mut actions = Vec::new();
        if wants(CodeActionKind::QUICKFIX.as_str()) {
            let mut offered: Vec<usize> = Vec::new();
            for problem in &analysis.problems {
                let Some(fix_index) = problem.fix else {
                    continue;
                };
                let touches = problem.range.start <= end && start <= problem.range.end;
                if !touches || offered.contains(&fix_index) {
                    continue;
                }
                offered.push(fix_index);
                let fix = &analysis.fixes[fix_index];
                let related: Vec<Diagnostic> = analysis
                    .problems
                    .iter()
                    .zip(&all_diagnostics)
                    .filter(|(p, _)| p.fix == Some(fix_index))
                    .map(|(_, d)| d.clone())
                    .collect();
                let Some(edit) = workspace_edit(uri, document, &fix.edits, &fix.other_files, &open_version) else {
                    continue;
                };
                actions.push(CodeActionOrCommand::CodeAction(CodeAction {
                    title: match fix.with.as_slice() {
                        [] => format!("nsa-migrate: fix with {}", fix.rule),
                        with => format!("nsa-migrate: fix with {} (and {})", fix.rule, with.join(", ")),
                    },
                    kind: Some(CodeActionKind::QUICKFIX),
                    diagnostics: Some(related),
                    edit: Some(edit),
                    is_preferred: Some(true),
                    ..CodeAction::default()
                }));
            }
        }
        if wants(FIX_ALL) && !analysis.fix_all.is_empty() {
            let edit = workspace_edit(uri, document, &analysis.fix_all, &[], &open_version);
            actions.push(CodeActionOrCommand::CodeAction(CodeAction {
                title: "nsa-migrate: fix all nsa-migrate problems in this file".into(),
                kind: Some(CodeActionKind::from(FIX_ALL)),
                edit,
                ..CodeAction::default()
            }));
        }
        actions
    }
}

/// The diagnostics of an analysis, in the order of its problems.
fn diagnostics(document: &Document, analysis: &Analysis) -> Vec<Diagnostic> {
    let index = LineIndex::new(&document.text);
    analysis
        .problems
        .iter()
        .map(|problem| Diagnostic {
            range: index.range(problem.range.clone()),
            severity: Some(DiagnosticSeverity::WARNING),
            code: Some(NumberOrString::String(problem.rule.to_string())),
            code_description: crate::rule_docs::url_of(problem.rule)
                .parse()
                .ok()
                .map(|href| CodeDescription { href }),
            source: Some("nsa-migrate".into()),
            message: problem.message.clone(),
            ..Diagnostic::default()
        })
        .collect()
}

fn text_edits(text: &str, edits: &[crate::fix::Edit]) -> Vec<TextEdit> {
    let index = LineIndex::new(text);
    edits
        .iter()
        .map(|e| TextEdit::new(index.range(e.start..e.end), e.text.clone()))
        .collect()
}

/// The edits to the buffer and, for a folder rule, to the files beside it: a plain edit of the
/// buffer, or (files to change or create) document changes, a `CreateFile` first.
fn workspace_edit(
    uri: &Uri,
    document: &Document,
    edits: &[crate::fix::Edit],
    others: &[crate::engine::BufferChangeFile],
    open_version: &dyn Fn(&std::path::Path) -> Option<i32>,
) -> Option<WorkspaceEdit> {
    let own = text_edits(&document.text, edits);
    if others.is_empty() {
        return Some(WorkspaceEdit {
            changes: Some(HashMap::from([(uri.clone(), own)])),
            ..WorkspaceEdit::default()
        });
    }
    let mut operations = Vec::new();
    for other in others {
        let other_uri = uri_of(&other.path)?;
        if other.created {
            operations.push(DocumentChangeOperation::Op(ResourceOp::Create(CreateFile {
                uri: other_uri.clone(),
                options: Some(CreateFileOptions {
                    overwrite: Some(false),
                    ignore_if_exists: Some(true),
                }),
                annotation_id: None,
            })));
        }
        let edits = if other.created {
            // The whole new text into an empty document, its end one line past it as a
            // whole-document replacement's is: a client that keeps a last empty line in every
            // buffer (Neovim) then drops it, instead of writing a blank line at the end.
            let whole = lsp_types::Range::new(lsp_types::Position::new(0, 0), lsp_types::Position::new(1, 0));
            vec![TextEdit::new(whole, other.new.clone())]
        } else {
            text_edits(
                &other.original,
                &crate::results::edits_between(&other.original, &other.new),
            )
        };
        operations.push(DocumentChangeOperation::Edit(TextDocumentEdit {
            text_document: OptionalVersionedTextDocumentIdentifier {
                uri: other_uri,
                // An open buffer's edits were made on its text; a file's on its bytes on disk.
                version: open_version(&other.path),
            },
            edits: edits.into_iter().map(OneOf::Left).collect(),
        }));
    }
    operations.push(DocumentChangeOperation::Edit(TextDocumentEdit {
        text_document: OptionalVersionedTextDocumentIdentifier {
            uri: uri.clone(),
            version: Some(document.version),
        },
        edits: own.into_iter().map(OneOf::Left).collect(),
    }));
    Some(WorkspaceEdit {
        document_changes: Some(DocumentChanges::Operations(operations)),
        ..WorkspaceEdit::default()
    })
}
