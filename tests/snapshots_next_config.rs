//! What a user sees from next-config: the dry-run diff and findings of a Next 14 config run with
//! every transform (server-actions-flag and next-config edit the same file), and its `--list` line.

mod common;

use common::*;

const CONFIG: &str = r#"/** @type {import('next').NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  swcMinify: true,
  experimental: {
    serverActions: true,
    // native modules stay out of the bundle
    serverComponentsExternalPackages: ['@prisma/client'],
    outputFileTracingIgnores: ['**/@swc/core*/**'],
    swrDelta: 3600,
    instrumentationHook: true,
  },
  images: { domains: ['cdn.example.com'] },
};

export default nextConfig;
"#;

#[test]
fn dry_run_of_a_next_14_config_with_every_transform() {
    let dir = temp_tree(&[
        ("next.config.mjs", CONFIG),
        ("package.json", r#"{ "dependencies": { "next": "14.2.3" } }"#),
    ]);
    let output = bin()
        .current_dir(dir.path())
        .args(["--dry-run", "--color", "never", "."])
        .output()
        .unwrap();
    let shown = format!("{}---- stderr\n{}", stdout(&output), stderr(&output));
    insta::with_settings!({ snapshot_path => "../snapshots", prepend_module_to_snapshot => false }, {
        insta::assert_snapshot!("next-config-dry-run", shown)
    });
}

#[test]
fn list_shows_the_rule() {
    let output = bin().arg("--list").output().unwrap();
    assert_eq!(output.status.code(), Some(0));
    assert!(stdout(&output).contains("next-config  "), "{}", stdout(&output));
}
