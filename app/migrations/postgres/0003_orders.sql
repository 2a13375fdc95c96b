-- Orders console and Service Orders: searching by order number within a workspace, and the
-- cheap "has anything changed" stamp the pages poll. The same in both engines.

-- Search by order number (exact, or the first digits) within a workspace:
--   WHERE isv_workspace_id = ? AND order_no BETWEEN ? AND ?
-- Every order number has 24 digits, so a prefix is the range from the prefix padded with 0s to
-- the prefix padded with 9s, which both engines read from a b-tree whatever the collation.
CREATE INDEX orders_isv_order_no_idx ON orders (isv_workspace_id, order_no);
CREATE INDEX orders_merchant_order_no_idx ON orders (merchant_workspace_id, order_no);

-- The change stamp of a workspace's orders is SUM(version): every transition adds one to an
-- order's version and a new order adds its first, so the stamp grows with every change. These
-- let both engines compute it from the index alone.
CREATE INDEX orders_isv_version_idx ON orders (isv_workspace_id, version);
CREATE INDEX orders_merchant_version_idx ON orders (merchant_workspace_id, version);
