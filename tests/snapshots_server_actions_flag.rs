//! What a user sees from server-actions-flag: the dry-run diff and findings of a config with
//! several changes, and its line in `--list`.

mod common;

use common::*;

const CONFIG: &str = r#"import { withSentryConfig } from '@sentry/nextjs';

/** @type {import('next').NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  experimental: {
    // Server Actions are experimental in 13.4
    serverActions: false,
    serverActionsBodySizeLimit: '4mb', // uploads
    serverComponentsExternalPackages: ['@prisma/client', 'sharp'],
    bundlePagesExternals: true,
  },
  images: { remotePatterns: [{ hostname: 'cdn.example.com' }] },
};

nextConfig.experimental.serverActions = true;

export default withSentryConfig(nextConfig, { silent: true });
"#;

#[test]
fn dry_run_of_a_config_with_several_changes() {
    let dir = temp_tree(&[
        ("apps/web/next.config.mjs", CONFIG),
        ("apps/web/package.json", r#"{ "dependencies": { "next": "14.2.3" } }"#),
    ]);
    let output = bin()
        .current_dir(dir.path())
        .args(["--dry-run", "--color", "never", "-t", "server-actions-flag", "."])
        .output()
        .unwrap();
    let shown = format!("{}---- stderr\n{}", stdout(&output), stderr(&output));
    insta::with_settings!({ snapshot_path => "../snapshots", prepend_module_to_snapshot => false }, {
        insta::assert_snapshot!("server-actions-flag-dry-run", shown)
    });
}

#[test]
fn list_shows_the_transform_before_use_action_state() {
    let output = bin().arg("--list").output().unwrap();
    assert_eq!(output.status.code(), Some(0));
    let list = stdout(&output);
    let flag = list
        .find("server-actions-flag  ")
        .expect("--list shows server-actions-flag");
    assert!(list[flag..].contains("next.config: drop experimental.serverActions"));
    assert!(
        list.find("use-action-state").is_none_or(|other| flag < other),
        "server-actions-flag runs first:\n{list}"
    );
}
