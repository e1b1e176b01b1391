"""Snowflake functions a local warehouse cannot answer exactly, refused by name with Snowflake's
"unsupported feature" error rather than "unknown function" (the name is Snowflake's; its result
would not be): encryption with Snowflake's key handling, Cortex AI, geospatial, vector, XML,
file, bitmap, MinHash and compression functions, HLL's exported layout, DECFLOAT (no exact
type here), and functions whose documented output is not known well enough to match
(SOUNDEX_P123, PARSE_URL, PARSE_IP)."""

from __future__ import annotations

from cloneshell.engine.core.errors import UnsupportedError
from cloneshell.engine.core.translate import FunctionRule, LazyArgs, Translator
from cloneshell.grammar import ast

_NAMES = """
    encrypt encrypt_raw decrypt decrypt_raw try_decrypt try_decrypt_raw
    ai_agg ai_classify ai_complete ai_count_tokens ai_embed ai_extract ai_filter ai_parse_document
    ai_redact ai_sentiment ai_similarity ai_summarize_agg ai_transcribe ai_translate
    to_geography try_to_geography to_geometry try_to_geometry
    st_area st_asewkb st_asewkt st_asgeojson st_astext st_aswkb st_aswkt st_azimuth st_buffer
    st_centroid st_collect st_contains st_coveredby st_covers st_difference st_dimension
    st_disjoint st_distance st_dwithin st_endpoint st_envelope st_geogfromtext
    st_geographyfromwkb st_geographyfromwkt st_geohash st_geomfromtext st_geometryfromwkb
    st_geometryfromwkt st_geompoint st_intersection st_intersects st_isvalid st_length
    st_makegeompoint st_makeline st_makepoint st_makepolygon st_npoints st_numpoints
    st_perimeter st_point st_pointn st_setsrid st_simplify st_srid st_startpoint st_symdifference
    st_transform st_union st_within st_x st_xmax st_xmin st_y st_ymax st_ymin
    vector_cosine_similarity vector_inner_product vector_l1_distance vector_l2_distance
    check_xml parse_xml xmlget to_xml
    to_file try_to_file fl_get_content_type fl_get_etag fl_get_file_type fl_get_last_modified
    fl_get_relative_path fl_get_scoped_file_url fl_get_size fl_get_stage fl_get_stage_file_url
    fl_is_audio fl_is_compressed fl_is_document fl_is_image fl_is_video
    bitmap_bit_position bitmap_bucket_number bitmap_construct_agg bitmap_count bitmap_or_agg
    minhash minhash_combine approximate_similarity approximate_jaccard_index
    compress decompress_binary decompress_string
    hll_export hll_import
    to_decfloat try_to_decfloat soundex_p123 parse_url parse_ip
"""


def _refuse(t: Translator, e: ast.FuncCall, args: LazyArgs) -> str:
    raise UnsupportedError(
        "unsupported", e.span, message=f"function {e.name.parts[-1].name.upper()}"
    )


FUNCTIONS: dict[str, FunctionRule] = dict.fromkeys(_NAMES.split(), _refuse)
