//! baseline-hyper ADDR PUBKEY.pem [WORKERS]: answers every request with 200 when
//! `Authorization: Bearer <RS256 JWT>` verifies with the key and is not expired
//! (jsonwebtoken's default 60 s leeway), else 401. Nothing else: no issuer,
//! audience, key set, claims, JSON body or log.

use std::convert::Infallible;
use std::sync::Arc;

use http_body_util::Full;
use hyper::body::{Bytes, Incoming};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Request, Response, StatusCode};
use hyper_util::rt::TokioIo;
use jsonwebtoken::{Algorithm, DecodingKey, Validation, decode};
use serde::Deserialize;
use tokio::net::TcpListener;

#[derive(Deserialize)]
#[allow(dead_code)]
struct Claims {
    exp: u64,
}

struct Verifier {
    key: DecodingKey,
    validation: Validation,
}

fn answer(v: &Verifier, req: &Request<Incoming>) -> Response<Full<Bytes>> {
    let token = req
        .headers()
        .get(hyper::header::AUTHORIZATION)
        .and_then(|h| h.to_str().ok())
        .and_then(|h| h.strip_prefix("Bearer "));
    let ok = token.is_some_and(|t| decode::<Claims>(t, &v.key, &v.validation).is_ok());
    let mut r = Response::new(Full::new(Bytes::new()));
    if !ok {
        *r.status_mut() = StatusCode::UNAUTHORIZED;
    }
    r
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let addr = args.get(1).cloned().unwrap_or_else(|| "127.0.0.1:8081".into());
    let pem = std::fs::read(args.get(2).expect("usage: baseline-hyper ADDR PUBKEY.pem [WORKERS]")).unwrap();
    let workers: usize = args.get(3).map_or(2, |w| w.parse().unwrap());
    let mut validation = Validation::new(Algorithm::RS256);
    validation.validate_aud = false;
    validation.set_required_spec_claims(&["exp"]);
    let v = Arc::new(Verifier { key: DecodingKey::from_rsa_pem(&pem).unwrap(), validation });
    let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(workers).enable_all().build().unwrap();
    rt.block_on(async move {
        let listener = TcpListener::bind(&addr).await.unwrap();
        eprintln!("baseline-hyper listening on http://{addr} ({workers} workers)");
        loop {
            let Ok((stream, _)) = listener.accept().await else { continue };
            let _ = stream.set_nodelay(true);
            let v = v.clone();
            tokio::spawn(async move {
                let svc = service_fn(move |req| {
                    let r = answer(&v, &req);
                    async move { Ok::<_, Infallible>(r) }
                });
                let _ = http1::Builder::new().keep_alive(true).serve_connection(TokioIo::new(stream), svc).await;
            });
        }
    });
}
