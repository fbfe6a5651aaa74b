-- Trigram matching for searches on folded text ("ba dinh" finds "Phường Ba Đình"). pg_trgm ships with
-- PostgreSQL's contrib modules on every supported server, embedded or external.
create extension if not exists pg_trgm;
