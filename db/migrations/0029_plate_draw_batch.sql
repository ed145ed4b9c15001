-- Random draws of several preselections in ONE statement (issue 23, ADR-040
-- "Plates: batched draws").
--
-- Each member is exactly what plate_draw_numbers (migration 0027) takes: its
-- parameters p, with the browser's nonce and the next seed as hex. The
-- members' preselections are locked first, in id order (as plate_pick_batch
-- does), so two batches never wait on each other crosswise; then each member
-- runs plate_draw_numbers in arrival order — the single draw's locks, checks,
-- walk of the candidates and writes, unchanged — in a block of its own: the
-- two outcomes that must roll back what the walk already offered (JGP01, more
-- candidates needed; JGP02, not a single number offered) roll back that
-- member only and come back as its outcome. Any other error fails the whole
-- statement: nothing of it commits, and the bff's batcher splits the batch
-- down to single members (platform/group-commit.ts).
--
-- Pool rows are offered with SKIP LOCKED, so the members of concurrent
-- batches never wait on each other's new offers; a member's own preselection,
-- commitment and previous draw are its own rows, and the numbers its previous
-- offer gives back are locked with the preselections, before any new offer.
CREATE FUNCTION plate_draw_batch(members jsonb)
RETURNS TABLE (n int, outcome text, draw_id uuid)
LANGUAGE plpgsql AS $$
#variable_conflict use_column
DECLARE
  m record;
BEGIN
  PERFORM 1 FROM plate_preselection ps
  WHERE ps.id IN (SELECT (e->>'preselectionId')::uuid FROM jsonb_array_elements(members) e)
  ORDER BY ps.id FOR UPDATE;
  -- The numbers of their open offers, which a member's draw gives back before it offers new ones, in pool
  -- row order (as plate_reserve_batch locks pool rows): a single draw gives them back before it holds any new
  -- offer, but a later member would do so while the batch holds the earlier members' new offers, and a
  -- reservation batch holding one of those numbers and wanting a new offer would close a circle.
  PERFORM 1 FROM plate_number pn
  WHERE pn.offer_id IN (SELECT d.id FROM plate_draw d
                        WHERE d.preselection_id IN (SELECT (e->>'preselectionId')::uuid FROM jsonb_array_elements(members) e) AND d.status = 'open')
    AND pn.status = 'offered'
  ORDER BY pn.id FOR UPDATE;

  FOR m IN SELECT e.j, e.ord::int AS i FROM jsonb_array_elements(members) WITH ORDINALITY AS e(j, ord) ORDER BY e.ord LOOP
    n := m.i; outcome := NULL; draw_id := NULL;
    BEGIN
      SELECT d.outcome, d.draw_id INTO outcome, draw_id
      FROM plate_draw_numbers(m.j - 'clientNonce' - 'nextSeed', decode(m.j->>'clientNonce', 'hex'), decode(m.j->>'nextSeed', 'hex')) d;
    EXCEPTION
      WHEN SQLSTATE 'JGP01' THEN outcome := 'more_candidates'; draw_id := NULL;
      WHEN SQLSTATE 'JGP02' THEN outcome := 'pool_exhausted'; draw_id := NULL;
    END;
    RETURN NEXT;
  END LOOP;
END
$$;
