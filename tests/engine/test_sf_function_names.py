"""Snowflake's function names against its reference (docs.snowflake.com, sql-reference/
functions-all, "All functions (alphabetical)"): every name the Snowflake dialect accepts is one
the reference lists, and the MaxCompute/Hive/DuckDB names of the shared library that Snowflake
does not have (IF, ISNULL, WM_CONCAT …) are Snowflake's 002140 Unknown function, as any other
unknown name; MaxCompute keeps them."""

from __future__ import annotations

import pytest
from engine_helpers import fails

from cloneshell.engine import Rows, Session, function_names
from cloneshell.engine.snowflake.functions import NOT_SNOWFLAKE

# The reference's names (functions-all), lower case: built-ins, scalar or table, with the
# aliases the function pages give (LEN for LENGTH, CHAR for CHR, POW for POWER …).
_DOCUMENTED = """
    abs acos acosh add_months agg ai_agg ai_classify ai_complete ai_count_tokens ai_embed ai_extract
    ai_filter ai_parse_document ai_redact ai_sentiment ai_similarity ai_summarize_agg ai_transcribe
    ai_translate all_user_names any_value approx_count_distinct approx_percentile
    approx_percentile_accumulate approx_percentile_combine approx_percentile_estimate approx_top_k
    approx_top_k_accumulate approx_top_k_combine approx_top_k_estimate approximate_jaccard_index
    approximate_similarity array_agg array_append array_cat array_compact array_construct
    array_construct_compact array_contains array_distinct array_except array_flatten
    array_generate_range array_insert array_intersection array_max array_min array_position
    array_prepend array_remove array_remove_at array_repeat array_reverse array_size array_slice
    array_sort array_to_string array_union_agg array_unique_agg arrayagg arrays_overlap
    arrays_to_object arrays_zip as_array as_binary as_boolean as_char as_date as_decimal as_double
    as_integer as_number as_object as_real as_time as_timestamp_ltz as_timestamp_ntz
    as_timestamp_tz as_varchar ascii asin asinh atan atan2 atanh avg
    base64_decode_binary base64_decode_string base64_encode bit_and bit_and_agg bit_andagg
    bit_length bit_not bit_or bit_or_agg bit_oragg bit_shiftleft bit_shiftright bit_xor
    bit_xor_agg bit_xoragg bitand bitand_agg bitandagg bitmap_bit_position bitmap_bucket_number
    bitmap_construct_agg bitmap_count bitmap_or_agg bitnot bitor bitor_agg bitoragg bitshiftleft
    bitshiftright bitxor bitxor_agg bitxoragg booland booland_agg boolnot boolor boolor_agg boolxor
    boolxor_agg
    cbrt ceil char charindex check_json check_xml chr coalesce collate collation compress concat
    concat_ws conditional_change_event conditional_true_event contains convert_timezone corr cos
    cosh cot count count_if covar_pop covar_samp cume_dist current_account current_account_name
    current_available_roles current_client current_database current_date current_ip_address
    current_organization_name current_organization_user current_region current_role
    current_role_type current_schema current_schemas current_secondary_roles current_session
    current_statement current_time current_timestamp current_transaction current_user
    current_version current_warehouse
    date date_from_parts date_part date_trunc dateadd datediff datefromparts day dayname
    dayofmonth dayofweek dayofweekiso dayofyear decode decompress_binary decompress_string decrypt
    decrypt_raw degrees dense_rank div0 div0null
    editdistance encrypt encrypt_raw endswith equal_null exp explain_json extract
    factorial filter first_value fl_get_content_type fl_get_etag fl_get_file_type
    fl_get_last_modified fl_get_relative_path fl_get_scoped_file_url fl_get_size fl_get_stage
    fl_get_stage_file_url fl_is_audio fl_is_compressed fl_is_document fl_is_image fl_is_video
    flatten floor
    generator get get_ddl get_ignore_case get_path getbit getdate getvariable greatest
    greatest_ignore_nulls grouping grouping_id
    hash hash_agg haversine hex_decode_binary hex_decode_string hex_encode hll hll_accumulate
    hll_combine hll_estimate hll_export hll_import hour
    iff ifnull ilike ilike_any initcap insert invoker_role invoker_share is_array is_binary
    is_boolean is_char is_date is_date_value is_decimal is_double is_integer is_null_value
    is_object is_real is_time is_timestamp_ltz is_timestamp_ntz is_timestamp_tz is_varchar
    jarowinkler_similarity json_extract_path_text
    kurtosis
    lag last_day last_query_id last_transaction last_value lead least least_ignore_nulls left len
    length like like_all like_any listagg ln localtime localtimestamp log lower lpad ltrim
    map_cat map_contains_key map_delete map_entries map_insert map_keys map_pick map_size max
    max_by md5 md5_binary md5_hex md5_number md5_number_lower64 md5_number_upper64 median min
    min_by minhash minhash_combine minute mod mode month monthname months_between
    next_day normal nth_value ntile nullif nullifzero nvl nvl2
    object_agg object_construct object_construct_keep_null object_delete object_insert
    object_keys object_pick octet_length
    parse_ip parse_json parse_url parse_xml percent_rank percentile_cont percentile_disc pi
    position pow power previous_day
    quarter
    radians random randstr rank ratio_to_report reduce regexp regexp_count regexp_extract_all
    regexp_instr regexp_like regexp_replace regexp_substr regexp_substr_all regr_avgx regr_avgy
    regr_count regr_intercept regr_r2 regr_slope regr_sxx regr_sxy regr_syy regr_valx regr_valy
    repeat replace reverse right rlike round row_number rpad rtrim rtrimmed_length
    search search_ip second seq1 seq2 seq4 seq8 sha1 sha1_binary sha1_hex sha2 sha2_binary
    sha2_hex sign sin sinh skew soundex soundex_p123 space split split_part split_to_table sqrt
    square st_area st_asewkb st_asewkt st_asgeojson st_astext st_aswkb st_aswkt st_azimuth
    st_buffer st_centroid st_collect st_contains st_coveredby st_covers st_difference
    st_dimension st_disjoint st_distance st_dwithin st_endpoint st_envelope st_geogfromtext
    st_geographyfromwkb st_geographyfromwkt st_geohash st_geometryfromwkb st_geometryfromwkt
    st_geomfromtext st_geompoint st_intersection st_intersects st_isvalid st_length
    st_makegeompoint st_makeline st_makepoint st_makepolygon st_npoints st_numpoints
    st_perimeter st_point st_pointn st_setsrid st_simplify st_srid st_startpoint
    st_symdifference st_transform st_union st_within st_x st_xmax st_xmin st_y st_ymax st_ymin
    startswith stddev stddev_pop stddev_samp strip_null_value strtok strtok_split_to_table
    strtok_to_array substr substring sum sysdate systimestamp
    tan tanh time time_from_parts time_slice timeadd timediff timefromparts timestamp_from_parts
    timestamp_ltz_from_parts timestamp_ntz_from_parts timestamp_tz_from_parts timestampadd
    timestampdiff timestampfromparts timestampltzfromparts timestampntzfromparts
    timestamptzfromparts to_array to_binary to_boolean to_char to_date to_decfloat to_decimal
    to_double to_file to_geography to_geometry to_json to_number to_numeric to_object to_time
    to_timestamp to_timestamp_ltz to_timestamp_ntz to_timestamp_tz to_uuid to_varchar to_variant
    to_xml transform translate trim trunc truncate try_base64_decode_binary
    try_base64_decode_string try_cast try_decrypt try_decrypt_raw try_hex_decode_binary
    try_hex_decode_string try_parse_json try_to_binary try_to_boolean try_to_date
    try_to_decfloat try_to_decimal try_to_double try_to_file try_to_geography try_to_geometry
    try_to_number try_to_numeric try_to_time try_to_timestamp try_to_timestamp_ltz
    try_to_timestamp_ntz try_to_timestamp_tz try_to_uuid typeof
    unicode uniform upper uuid_string
    var_pop var_samp variance variance_pop variance_samp vector_cosine_similarity
    vector_inner_product vector_l1_distance vector_l2_distance
    week weekiso weekofyear width_bucket
    xmlget
    year yearofweek yearofweekiso
    zeroifnull zipf
"""
DOCUMENTED = frozenset(_DOCUMENTED.split())


def test_every_snowflake_name_is_in_the_reference() -> None:
    accepted = set(function_names("snowflake"))
    assert accepted, "the Snowflake dialect lists no function"
    assert sorted(accepted - DOCUMENTED) == []


def test_the_refused_names_are_not_in_the_reference() -> None:
    assert sorted(NOT_SNOWFLAKE & DOCUMENTED) == []
    assert not NOT_SNOWFLAKE & set(function_names("snowflake"))


@pytest.mark.parametrize(
    "sql",
    [
        "SELECT IF(TRUE, 1, 2)",
        "SELECT ISNULL(NULL)",
        "SELECT NOW()",
        "SELECT RAND()",
        "SELECT TOLOWER('A')",
        "SELECT TOUPPER('a')",
        "SELECT SIZE(ARRAY_CONSTRUCT(1))",
        "SELECT INSTR('abc', 'b')",
        "SELECT LENGTHB('abc')",
        "SELECT REGEXP_EXTRACT('abc', 'b')",
        "SELECT DATEPART(CURRENT_DATE, 'yyyy')",
        "SELECT DATETRUNC(CURRENT_DATE, 'mm')",
        "SELECT UNIX_TIMESTAMP()",
        "SELECT FROM_UNIXTIME(0)",
        "SELECT CEILING(1.5)",
        "SELECT CHAR_LENGTH('abc')",
        "SELECT LOG10(100)",
        "SELECT LOG2(8)",
        "SELECT ARRAY(1, 2)",
        "SELECT WM_CONCAT(',', x) FROM (SELECT 'a' AS x)",
        "SELECT COLLECT_LIST(x) FROM (SELECT 1 AS x)",
        "SELECT ARG_MAX(x, x) FROM (SELECT 1 AS x)",
        "SELECT ARG_MIN(x, x) FROM (SELECT 1 AS x)",
        "SELECT APPROX_DISTINCT(x) FROM (SELECT 1 AS x)",
        "SELECT BOOL_AND(x) FROM (SELECT TRUE AS x)",
        "SELECT BOOL_OR(x) FROM (SELECT TRUE AS x)",
    ],
)
def test_a_maxcompute_name_is_an_unknown_function(sf: Session, sql: str) -> None:
    err = fails(sf, sql)
    name = sql.split()[1].split("(")[0].upper()
    assert err.code == "002140"
    assert f"Unknown function {name}" in str(err.text)


def test_the_documented_neighbours_still_run(sf: Session) -> None:
    # IFF, CEIL, LOG(10, x), LENGTH, ARRAY_CONSTRUCT: Snowflake's own spellings.
    (result,) = sf.execute(
        "SELECT IFF(TRUE, 1, 2), CEIL(1.5), LOG(10, 100), LENGTH('abc'), "
        "ARRAY_SIZE(ARRAY_CONSTRUCT(1, 2))"
    )
    assert isinstance(result, Rows)
    assert [str(v) for v in result.rows[0]] == ["1", "2", "2.0", "3", "2"]


def test_maxcompute_keeps_its_names(open_session) -> None:  # type: ignore[no-untyped-def]
    s = open_session()
    (result,) = s.execute("SELECT if(true, 1, 2), tolower('A'), instr('abc', 'b')")
    assert isinstance(result, Rows)
    assert list(result.rows[0]) == [1, "a", 2]
