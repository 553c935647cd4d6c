//! The limit the read benchmark compares Guwen with: an actix-web server with no database, no
//! middleware and no authentication, answering `GET /page` and `GET /object` with bytes read
//! once at start (the same JSON Guwen served for a roster page and for one advisor).
//!
//!   guwen-limit 127.0.0.1:9090 page.json object.json

use actix_web::{App, HttpResponse, HttpServer, web};

#[actix_web::main]
async fn main() -> std::io::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let [_, bind, page, object] = args.as_slice() else {
        eprintln!("usage: guwen-limit BIND_ADDR PAGE_JSON OBJECT_JSON");
        std::process::exit(2);
    };
    let page = web::Bytes::from(std::fs::read(page)?);
    let object = web::Bytes::from(std::fs::read(object)?);
    HttpServer::new(move || {
        let (page, object) = (page.clone(), object.clone());
        App::new()
            .route(
                "/page",
                web::get().to(move || {
                    let body = page.clone();
                    async move {
                        HttpResponse::Ok()
                            .content_type("application/json")
                            .body(body)
                    }
                }),
            )
            .route(
                "/object",
                web::get().to(move || {
                    let body = object.clone();
                    async move {
                        HttpResponse::Ok()
                            .content_type("application/json")
                            .body(body)
                    }
                }),
            )
    })
    .bind(bind.as_str())?
    .run()
    .await
}
