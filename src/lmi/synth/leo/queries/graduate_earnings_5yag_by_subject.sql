-- Graduates' earnings five years on, by subject (SYNTHETIC-data example query).
-- The 2016/17 graduating cohort (view hesa_2017, qualifiers only) in tax year 2022-23
-- (TaxYear 202223 = 6 April 2022 to 5 April 2023): 5 years after graduation, as DfE counts YAG.
-- A person (AE_ID) may have several EDUKEYs, so earnings are summed per AE_ID first.
-- jacs_to_cah2 is a JACS 3.0 -> CAH2 lookup the researcher brings (public classification).
SELECT c.CAH2 AS subject_cah2,
       COUNT(*) AS graduates_with_earnings,
       AVG(CAST(pay.earnings AS float)) AS mean_earnings,
       MIN(pay.earnings) AS min_earnings,
       MAX(pay.earnings) AS max_earnings
FROM (
    SELECT h.HE_PUPILMATCHINGREFANONYMOUS AS pmr, MAX(h.HE_XJACSA01_1) AS jacs
    FROM hesa_2017 h
    WHERE h.HE_XPQUAL01 = 1
    GROUP BY h.HE_PUPILMATCHINGREFANONYMOUS
) g
JOIN learner_ae_id_to_pmr_lookup p ON p.PupilMatchingRefAnonymous = g.pmr
JOIN (
    SELECT k.AE_ID, SUM(e.Earnings) AS earnings
    FROM learner_ae_id_to_edukey_lookup k
    JOIN leo_earnings e ON e.Edukey = k.EDUKEY
    WHERE e.TaxYear = 202223
    GROUP BY k.AE_ID
) pay ON pay.AE_ID = p.AE_ID
JOIN jacs_to_cah2 c ON c.JACS = g.jacs
GROUP BY c.CAH2
ORDER BY c.CAH2;
