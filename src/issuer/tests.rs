use super::*;

#[test]
fn only_google_has_a_second_spelling() {
    assert_eq!(resolve("google"), GOOGLE);
    assert!(iss_matches(GOOGLE, GOOGLE));
    assert!(iss_matches(GOOGLE, GOOGLE_BARE));
    assert!(!iss_matches(GOOGLE, "https://accounts.google.com/"));
    assert!(!iss_matches(GOOGLE_BARE, GOOGLE));
    assert!(!iss_matches("https://gitlab.com", "gitlab.com"));
    let e = validate(GOOGLE_BARE, false).unwrap_err();
    assert!(e.message.contains("--issuer google"), "{}", e.message);
    let e = validate("idp.example", false).unwrap_err();
    assert!(e.message.contains("https://idp.example?"), "{}", e.message);
}

#[test]
fn presets_and_discovery_urls() {
    assert_eq!(
        resolve("github"),
        "https://token.actions.githubusercontent.com"
    );
    assert_eq!(resolve("https://x"), "https://x");
    assert_eq!(
        discovery_url("https://kc/realms/x/"),
        "https://kc/realms/x/.well-known/openid-configuration"
    );
    assert_eq!(
        discovery_url("https://a.example"),
        "https://a.example/.well-known/openid-configuration"
    );
}

#[test]
fn issuer_urls_are_checked() {
    assert!(validate("https://idp.example", false).is_ok());
    assert!(validate("http://127.0.0.1:8080", false).is_ok());
    assert!(
        validate("http://idp.example", false)
            .unwrap_err()
            .message
            .contains("--allow-http")
    );
    assert!(validate("https://idp.example?x=1", false).is_err());
    assert!(validate("https://u:p@idp.example", false).is_err());
    assert!(validate("github", false).is_err());
}

#[test]
fn near_misses() {
    assert!(
        near_miss("https://a", "https://a/")
            .unwrap()
            .contains("trailing slash")
    );
    assert!(
        near_miss("https://a", "https://a/tenant")
            .unwrap()
            .contains("extra path")
    );
    assert!(
        near_miss("https://A", "https://a")
            .unwrap()
            .contains("case")
    );
    assert!(near_miss("https://a", "https://b").is_none());
}

#[test]
fn real_documents() {
    let dir = format!("{}/tests/fixtures/providers", env!("CARGO_MANIFEST_DIR"));
    let docker = std::fs::read(format!("{dir}/docker/openid-configuration.json")).unwrap();
    let iss = serde_json::from_slice::<Value>(&docker).unwrap()["issuer"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(iss.ends_with('/'));
    assert!(check_document(&docker, &iss, "u", Trust::Remote, false).is_ok());
    let e = check_document(
        &docker,
        iss.trim_end_matches('/'),
        "u",
        Trust::Remote,
        false,
    )
    .unwrap_err();
    assert_eq!(e.kind, Kind::IssuerMismatch);
    assert!(e.message.contains("trailing slash"));
    let gh = std::fs::read(format!(
        "{}/tests/fixtures/github/openid-configuration.json",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap();
    let d = check_document(
        &gh,
        "https://token.actions.githubusercontent.com",
        "u",
        Trust::Remote,
        false,
    )
    .unwrap();
    assert!(
        d.warnings
            .iter()
            .any(|w| w.contains("authorization_endpoint"))
    );
}
