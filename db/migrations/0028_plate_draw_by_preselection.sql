-- A preselection's draws, by preselection (issue 23). Every plate answer
-- lists the preselection's draws and counts the draws used for its vehicle
-- (plates repo.ts viewSelect, startReads, drawReads; plate_draw_numbers):
-- with only the partial index of the open draw, each of those read the whole
-- plate_draw table, a cost that grows with every draw ever made.
CREATE INDEX plate_draw_preselection_idx ON plate_draw (preselection_id, draw_no);
