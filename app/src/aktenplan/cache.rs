//! The in-memory plan shared by all requests; swapped whole when the plan
//! changes, so readers never see a half-updated tree.

use super::index::PlanIndex;
use std::sync::{Arc, RwLock};

#[derive(Clone, Debug, Default)]
pub struct PlanCache(Arc<RwLock<Arc<PlanIndex>>>);

impl PlanCache {
    pub fn snapshot(&self) -> Arc<PlanIndex> {
        match self.0.read() {
            Ok(guard) => Arc::clone(&guard),
            Err(poisoned) => Arc::clone(&poisoned.into_inner()),
        }
    }

    /// Reads the plan from the database and replaces the snapshot.
    pub async fn reload(&self, pool: &sqlx::SqlitePool) -> Result<usize, sqlx::Error> {
        let index = PlanIndex::new(super::storage::all(pool).await?);
        let len = index.len();
        let fresh = Arc::new(index);
        match self.0.write() {
            Ok(mut guard) => *guard = fresh,
            Err(poisoned) => *poisoned.into_inner() = fresh,
        }
        Ok(len)
    }
}
