-- Orders console and Service Orders: searching by order number within a workspace, and the
-- cheap "has anything changed" stamp the pages poll. The same in both engines.

-- Search by order number (exact, or the first digits) within a workspace:
--   WHERE isv_workspace_id = ? AND order_no BETWEEN ? AND ?
-- Every order number has 24 digits, so a prefix is the range from the prefix padded with 0s to
-- the prefix padded with 9s, which both engines read from a b-tree whatever the collation.
CREATE INDEX orders_isv_order_no_idx ON orders (isv_workspace_id, order_no);
CREATE INDEX orders_merchant_order_no_idx ON orders (merchant_workspace_id, order_no);

-- The change stamp of a workspace's orders: the newest updated_at, and the sum of the versions
-- of the orders updated at that moment. Every transition sets updated_at and adds one to the
-- version, and a new order is updated when placed, so the stamp moves with every change; both
-- parts are read from a few index entries, however many orders the workspace has.
CREATE INDEX orders_isv_updated_idx ON orders (isv_workspace_id, updated_at);
CREATE INDEX orders_merchant_updated_idx ON orders (merchant_workspace_id, updated_at);
