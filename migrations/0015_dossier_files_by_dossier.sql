-- A dossier's files are read by the dossier (its page, the tracking page, Mẫu 01, the portal sync), but the primary
-- key is (unit_code, id): without this index every such read scanned all files of the unit, about 5,000 rows a
-- commune at 10 million dossiers (7 ms and 4,800 buffers per tracking page, found by the load test, issue 8).
create index dossier_files_dossier on dossier_files (unit_code, dossier_code);
