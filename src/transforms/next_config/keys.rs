//! The keys Next 15 moved, renamed or dropped, each with what it becomes and the release that reads the new key.

use crate::target::Version;

pub(super) const V13: Version = Version::new(13, 0);
pub(super) const V15: Version = Version::new(15, 0);
pub(super) const V15_2: Version = Version::new(15, 2);
pub(super) const V15_3: Version = Version::new(15, 3);
pub(super) const V15_5: Version = Version::new(15, 5);

/// What happens to a key of `experimental`.
#[derive(Clone, Copy)]
pub(super) enum Rewrite {
    /// Moves to this top-level key, same value.
    Top(&'static str),
    /// Moves into `compiler`, same name.
    Compiler,
    /// `swrDelta: N` → `expireTime: N`, with a finding about the header Next 15 sends.
    SwrDelta,
    /// `outputFileTracingIgnores: [...]` → `outputFileTracingExcludes: { '**/*': [...] }`.
    TracingIgnores,
    /// `outputStandalone: true` → `output: 'standalone'`.
    Standalone,
    /// `turbo` → `turbopack`.
    Turbo,
    /// Removed whatever its value.
    Remove,
    /// `true` removed; `false` removed with this finding (the switch no longer exists).
    RemoveBool(&'static str),
    /// A finding only.
    Report(&'static str),
    /// A finding unless the value is `true` (the default).
    ReportUnlessTrue(&'static str),
}

pub(super) const NO_SWITCH: &str = "no longer exists in Next 15: it cannot be turned off any more";

/// The keys of `experimental`: (key, rewrite, the Next release the output needs).
pub(super) const EXPERIMENTAL: &[(&str, Rewrite, Version)] = &[
    (
        "serverComponentsExternalPackages",
        Rewrite::Top("serverExternalPackages"),
        V15,
    ),
    (
        "bundlePagesExternals",
        Rewrite::Top("bundlePagesRouterDependencies"),
        V15,
    ),
    ("outputFileTracingRoot", Rewrite::Top("outputFileTracingRoot"), V15),
    (
        "outputFileTracingIncludes",
        Rewrite::Top("outputFileTracingIncludes"),
        V15,
    ),
    (
        "outputFileTracingExcludes",
        Rewrite::Top("outputFileTracingExcludes"),
        V15,
    ),
    ("outputFileTracingIgnores", Rewrite::TracingIgnores, V15),
    ("swrDelta", Rewrite::SwrDelta, V15),
    ("instrumentationHook", Rewrite::RemoveBool(NO_SWITCH), V15),
    ("appDir", Rewrite::Remove, V15),
    ("adjustFontFallbacks", Rewrite::Remove, V15),
    ("adjustFontFallbacksWithSizeAdjust", Rewrite::Remove, V15),
    ("transpilePackages", Rewrite::Top("transpilePackages"), V13),
    (
        "skipMiddlewareUrlNormalize",
        Rewrite::Top("skipMiddlewareUrlNormalize"),
        V13,
    ),
    (
        "skipTrailingSlashRedirect",
        Rewrite::Top("skipTrailingSlashRedirect"),
        V13,
    ),
    ("relay", Rewrite::Compiler, V13),
    ("styledComponents", Rewrite::Compiler, V13),
    ("emotion", Rewrite::Compiler, V13),
    ("reactRemoveProperties", Rewrite::Compiler, V13),
    ("removeConsole", Rewrite::Compiler, V13),
    ("outputStandalone", Rewrite::Standalone, V13),
    ("turbo", Rewrite::Turbo, V15_3),
    ("typedRoutes", Rewrite::Top("typedRoutes"), V15_5),
    (
        "missingSuspenseWithCSRBailout",
        Rewrite::Report(
            "`experimental.missingSuspenseWithCSRBailout` is gone in Next 15: a `useSearchParams()` outside a `<Suspense>` boundary always fails the static build now; wrap those components in `<Suspense>`, then remove the key",
        ),
        V15,
    ),
    (
        "esmExternals",
        Rewrite::ReportUnlessTrue(
            "`experimental.esmExternals` is set to a non-default value; Next 15 resolves ES modules itself and this switch is on its way out: check that the app builds and runs without it, then remove it",
        ),
        V15,
    ),
];

/// What happens to a top-level key.
#[derive(Clone, Copy)]
pub(super) enum TopRewrite {
    Remove,
    /// `true` removed; `false` removed with this finding.
    RemoveBool(&'static str),
    /// `false` removed with this finding; `true` left alone.
    RemoveFalse(&'static str),
    Report(&'static str),
    DevIndicators,
    Images,
    I18n,
}

pub(super) const RUNTIME_CONFIG: &str = "is deprecated in Next 15.5 (and the App Router never reads it): read environment variables instead (`process.env.X`, `NEXT_PUBLIC_X` for the browser)";

pub(super) const TOP_LEVEL: &[(&str, TopRewrite, Version)] = &[
    ("swcMinify", TopRewrite::RemoveBool(NO_SWITCH), V15),
    ("optimizeFonts", TopRewrite::Remove, V15),
    ("outputFileTracing", TopRewrite::RemoveFalse(NO_SWITCH), V15),
    (
        "analyticsId",
        TopRewrite::Report(
            "`analyticsId` is no longer read by Next 15: Vercel Speed Insights moved to the `@vercel/speed-insights` package; add it if you use them, then remove the key",
        ),
        V15,
    ),
    ("publicRuntimeConfig", TopRewrite::Report(RUNTIME_CONFIG), V15_5),
    ("serverRuntimeConfig", TopRewrite::Report(RUNTIME_CONFIG), V15_5),
    ("devIndicators", TopRewrite::DevIndicators, V15_2),
    ("images", TopRewrite::Images, V15),
    ("i18n", TopRewrite::I18n, V15),
];

/// `experimental.turbo` keys that Next 15.3 reads from `experimental` instead of `turbopack`.
pub(super) const TURBO_TO_EXPERIMENTAL: &[(&str, &str)] = &[
    ("memoryLimit", "turbopackMemoryLimit"),
    ("minify", "turbopackMinify"),
    ("treeShaking", "turbopackTreeShaking"),
    ("sourceMaps", "turbopackSourceMaps"),
];

pub(super) const KEYS: &str = "keys Next 15 moved or dropped";
