use guwen_domain::documents::AttachmentOwner;
use sea_orm::entity::prelude::*;

/// A file attached to one object (Art. 4.6, 7(5), 8, 11, 13): its bytes live in the object
/// store under `object_key`; who may see it is who may see its owner.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "attachments")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub owner_type: AttachmentOwner,
    pub owner_id: String,
    pub file_name: String,
    pub content_type: String,
    pub size_bytes: i64,
    /// Lower-case hex SHA-256 of the bytes.
    pub sha256: String,
    pub object_key: String,
    pub uploaded_by: String,
    pub uploaded_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
