//! Where attachments' bytes live: an object store (`object_store`), the local filesystem under
//! the data dir by default, an S3-compatible bucket in production (`GUWEN_OBJECT_STORE_URL`).
//!
//! Uploads stream from the request into a multipart upload while the SHA-256 is computed and
//! the size limit enforced, so no file is ever held whole in memory; downloads stream back.

use std::{fmt::Display, sync::Arc};

use bytes::Bytes;
use futures_util::{Stream, StreamExt, stream::BoxStream};
use object_store::{
    ObjectStore, ObjectStoreExt, WriteMultipart, local::LocalFileSystem, path::Path,
};
use sha2::{Digest, Sha256};

use crate::{config::Config, prelude::*};

/// How many parts of one upload are in flight at once: memory per upload stays bounded by
/// this many parts (5 MiB each, S3's smallest), whatever the file's size.
const UPLOAD_CONCURRENCY: usize = 2;

/// The object store of attachments and its limits (cheap to clone).
#[derive(Clone)]
pub struct FileStore {
    store: Arc<dyn ObjectStore>,
    prefix: Path,
    /// `GUWEN_ATTACHMENT_MAX_BYTES`.
    pub max_bytes: u64,
}

impl std::fmt::Debug for FileStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "FileStore({}, {})", self.store, self.prefix)
    }
}

/// What an upload stored.
#[derive(Debug, Clone)]
pub struct Stored {
    pub key: String,
    pub size: u64,
    /// Lower-case hex SHA-256.
    pub sha256: String,
}

/// A store failure: logged with its cause, answered `503 storage_unavailable`.
fn unavailable(e: impl Display) -> ApiError {
    tracing::error!(error = %e, "object store");
    ApiError::new(
        ProblemCode::StorageUnavailable,
        "the file storage is not available; try again later",
    )
}

/// 413 for a file above the limit.
pub fn too_large(max: u64) -> ApiError {
    ApiError::new(
        ProblemCode::PayloadTooLarge,
        format!("the file is larger than the {max} bytes an attachment may have"),
    )
}

impl FileStore {
    /// Opens the configured store: `GUWEN_OBJECT_STORE_URL` (with the process's `AWS_*`
    /// variables for an `s3://` bucket), or the directory `attachments` under the data dir.
    pub fn open(config: &Config) -> Result<Self, String> {
        let (store, prefix): (Arc<dyn ObjectStore>, Path) = match &config.object_store_url {
            Some(raw) => {
                let url = url::Url::parse(raw)
                    .map_err(|e| format!("GUWEN_OBJECT_STORE_URL is not a URL: {e}"))?;
                if matches!(url.scheme(), "s3" | "s3a" | "https" | "http") {
                    // The S3 client's TLS: rustls with the ring provider already in the tree.
                    let _ = rustls::crypto::ring::default_provider().install_default();
                }
                let options = std::env::vars().filter(|(k, _)| k.starts_with("AWS_"));
                let (store, prefix) = object_store::parse_url_opts(&url, options)
                    .map_err(|e| format!("GUWEN_OBJECT_STORE_URL: {e}"))?;
                (Arc::from(store), prefix)
            }
            None => {
                let dir = config.data_dir.join("attachments");
                std::fs::create_dir_all(&dir)
                    .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
                let store = LocalFileSystem::new_with_prefix(&dir)
                    .map_err(|e| format!("cannot use {}: {e}", dir.display()))?;
                (Arc::new(store), Path::default())
            }
        };
        Ok(Self {
            store,
            prefix,
            max_bytes: config.attachment_max_bytes,
        })
    }

    /// The object path of `key` (`/`-separated) under the store's prefix.
    fn path(&self, key: &str) -> Path {
        key.split('/')
            .filter(|part| !part.is_empty())
            .fold(self.prefix.clone(), |path, part| path.join(part))
    }

    /// Streams `body` into the object `key`: refuses (413) past the size limit and an empty
    /// body (422), aborting the upload; answers the size and SHA-256 of what was stored.
    pub async fn put_stream<S, E>(&self, key: &str, mut body: S) -> Result<Stored, ApiError>
    where
        S: Stream<Item = Result<Bytes, E>> + Unpin,
        E: Display,
    {
        let upload = self
            .store
            .put_multipart(&self.path(key))
            .await
            .map_err(unavailable)?;
        let mut writer = WriteMultipart::new(upload);
        let mut hasher = Sha256::new();
        let mut size: u64 = 0;
        let failure = loop {
            let chunk = match body.next().await {
                None => break None,
                Some(Ok(chunk)) => chunk,
                Some(Err(e)) => {
                    break Some(ApiError::new(
                        ProblemCode::UnreadableBody,
                        format!("the file could not be read: {e}"),
                    ));
                }
            };
            size += chunk.len() as u64;
            if size > self.max_bytes {
                break Some(too_large(self.max_bytes));
            }
            hasher.update(&chunk);
            if let Err(e) = writer.wait_for_capacity(UPLOAD_CONCURRENCY).await {
                break Some(unavailable(e));
            }
            writer.put(chunk);
        };
        let failure = failure
            .or_else(|| (size == 0).then(|| ApiError::invalid_field("body", "the file is empty")));
        if let Some(e) = failure {
            if let Err(abort) = writer.abort().await {
                tracing::warn!(error = %abort, "aborting a refused upload");
            }
            return Err(e);
        }
        writer.finish().await.map_err(unavailable)?;
        Ok(Stored {
            key: key.to_owned(),
            size,
            sha256: hex::encode(hasher.finalize()),
        })
    }

    /// The bytes of the object `key`, as a stream.
    pub async fn get_stream(
        &self,
        key: &str,
    ) -> Result<BoxStream<'static, Result<Bytes, object_store::Error>>, ApiError> {
        let got = self.store.get(&self.path(key)).await.map_err(unavailable)?;
        Ok(got.into_stream())
    }

    /// Removes the object `key` (an upload whose record was refused); failures are logged.
    pub async fn discard(&self, key: &str) {
        if let Err(e) = self.store.delete(&self.path(key)).await {
            tracing::warn!(error = %e, key, "could not remove an unrecorded upload");
        }
    }
}
