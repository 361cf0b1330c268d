"""The nine tables of the 2010 黔西南 rules as the source text gives them, and writers for .docx and .xlsx.

Not a test module: ``test_import.py`` builds a Word document and a workbook from these tables,
imports them and compares the result with ``frameworks/qianxinan-qts-2010/``.

The source (``/work/shared/sources/000_*.txt``) is the scraped text of a Word document: each
table cell printed as its paragraphs, empty cells mostly left out. The tables below put that text
back into rows and columns. Every cell's text is copied from the source; what the scrape does not
show had to be chosen, and is stated here:

- Table 一's header prints no 分值 cell although every row has one (0.3, 0.2 …) between the
  standard and the month: the header is given 分值 there.
- Table 一's note (注: 本表共5分…) follows the table as two paragraphs (in the workbook: two rows).
- Sub-items (二's 考核要点, 四's sub-rows, 五's 1.1 …, 六's two standards, 七 and 八's 细化内容) are
  rows of their own whose 序号 (and other shared cells) are merged downwards with the row above.
- 三.4 is printed twice, as the document does when a row is split across pages: the second row
  repeats 序号 and 目标内容 and holds only the 扣分原则 item 3.
- Table 四: the deductions follow 检查重点 in the 检查重点及分值 cell (second paragraph); the
  分值 column stays empty, as in the scrape, where "总分1分" is part of the deduction text.
- Table 九 has no 序号 column: its 考核内容 cell is merged over its four rows.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

#: A cell merged with the one above it (vertical merge), or with the one to its left (horizontal).
UP = object()
LEFT = object()


@dataclass
class Table:
    heading: str
    header: list[str]
    rows: list[list[object]]
    notes: list[str] = field(default_factory=list)


TITLE = ["黔西南州质量技术监督局", "2010年度目标绩效管理工作考核分细则"]

T1 = Table(
    "(一)、党风廉政建设工作",
    ["序号", "目标计划内容", "绩效考核标准", "分值", "完成\n月份", "评分", "扣分理由"],
    [
        [
            "1",
            "认真贯彻落实上级年度党风廉政建设工作会议精神,对单位年度党风廉政建设工作有部署,有半年和年度工作情况报告。",
            "查贯彻会议情况报告、半年和全年工作情况报告,3项缺1项扣0.1分。",
            "0.3",
            "12",
            "",
            "",
        ],
        [
            "2",
            "加强对贯彻落实中央及上级重大决策部署的监督检查,年内对党风廉政建设责任制执行情况进行一次以上检查。",
            "查党风廉政建设责任制执行情况自查报告,无自查报告扣0.2分。",
            "0.2",
            "9",
            "",
            "",
        ],
        [
            "3",
            "把拒腐防变教育作为第一道防线,每季度进行一次以上的反腐倡廉教育,认真组织学习《中国共产党党员领导干部廉洁从政若干准则》等规定,深入开展思想道德建设、理想信念、权力观和党纪国法等方面的教育,加强正面宣传引导和反面案例警示教育;继续落实好《惩防体系实施纲要》及《工作规划》,单位主要负责人和纪检负责人各讲1次党风廉政课,采取多种方式增强教育实效。",
            "查反腐倡廉教育计划、学习情况和讲课纪录,全年反腐倡廉教育少于4次、领导讲廉政党课少于2次的,缺1次扣0.1分。",
            "0.6",
            "12",
            "",
            "",
        ],
        [
            "4",
            "认真按照州局党组贯彻落实《工作规划》实施办法要求,落实好纪检负责人同股级干部谈话、干部任前廉政谈话、诫勉谈话等制度。",
            "查相关记录,应谈未谈的,缺一项扣0.1分。",
            "0.3",
            "12",
            "",
            "",
        ],
        [
            "5",
            "继续加大监督力度,充分发挥与企业或服务对象建立的党风行风监督联系网络的作用,采取召开座谈会、发调查问卷、走访行政相对人、电话或函询等方式,与20家以上的企业联系,了解行政执法人员的服务质量和廉政情况。",
            "查质监人员勤廉情况跟踪监督联系登记表,缺一家扣0.01分。",
            "0.3",
            "11",
            "",
            "",
        ],
        [
            "6",
            "加强对领导干部的监管,按要求组织协调召开好本单位班子成员民主生活会。",
            "查民主生活会情况报告、会议记录、班子成员发言提纲、个人廉洁情况登记表,4项缺1项扣0.07分。",
            "0.28",
            "11",
            "",
            "",
        ],
        [
            "7",
            "认真治理和纠正损害群众利益的不正之风,做好来信、来电和来访举报登记工作,并进行初步核实,及时上报本单位发生的案件和上级转办案件的调查结果;及时受理违规违纪干部的申诉复核工作。",
            "查来信、来电、来访登记和办理情况记录,无来信、来电、来访登记的,缺一项扣0.1分;有登记,但在规定时限内无办理情况记录的,缺一次扣0.02分;上级转办案件无结果的缺一次扣0.1分。",
            "0.4",
            "12",
            "",
            "",
        ],
        [
            "8",
            "认真落实“收支两条线”规定,加大对本单位财务监督检查的工作力度,确保财务管理安全。\n"
            "严格遵守《中国共产党党员领导干部廉洁从政若干准则》等各项规定,严肃查处违纪案件。\n"
            "单位出现严重违纪案件,要实施责任追究,并以党组名义向上级党组写出责任追究报告。",
            "单位未严格执行国家有关收费和罚没项目的规定,收费、罚没收入未全部按要求上缴财政的,被查实一次扣0.3分。\n"
            "单位因违反党风廉政建设规定发生违纪案件,一般工作人员违纪扣0.2分,股级干部扣0.3分,科级干部扣0.4分;严重违纪案件在第一种扣分标准的基础上加一倍扣分;刑事案件在第一种扣分标准的基础上加两倍扣分。\n"
            "有严重违纪案件不进行责任追究、无责任追究报告扣0.2分。\n"
            "自找案源、自查案件视案件影响情况酌情少扣或不扣分。",
            "1.62",
            "12",
            "",
            "",
        ],
        [
            "9",
            "在县(市)以上报刊媒体刊播宣传本单位党风廉政建设工作的新闻信息3篇(条)以上(其中《黔质新风》1篇以上)。",
            "查相关资料缺1篇(条)扣0.2分。",
            "0.6",
            "12",
            "",
            "",
        ],
        [
            "10",
            "每年按要求向州局纪检监察室报送3次党风廉政建设工作数据统计表。",
            "缺一次扣0.05分。",
            "0.15",
            "10",
            "",
            "",
        ],
        [
            "11",
            "完成州局纪检监察室交办的其他工作任务。",
            "查完成交办任务情况登记表,未完成一次交办任务扣0.05分。",
            "0.25",
            "12",
            "",
            "",
        ],
    ],
    notes=["注:", "本表共5分,按州局年度综合绩效目标党风廉政建设工作所占分值设制。"],
)

T2 = Table(
    "(二)标准、认证监管工作",
    ["序号", "目标名称", "目标内容", "考核要点", "分值", "评分", "扣分理由", "备注"],
    [
        [
            "1",
            "组织辖区企业标准的备案工作;组织开展农业标准化示范区和茶产业标准化建设工作。\n(5分)",
            "完成承担的到期农业标准化示范区建设项目和茶产业标准化建设项目任务。\n通过有关验收,有验收合格结论和工作总结。",
            "1、农业标准化项目通过验收;",
            "3",
            "",
            "",
            "该项工作只涉及册亨、贞丰、晴隆三个县局",
        ],
        [UP, UP, UP, "2、有验收合格结论;", "1", "", "", UP],
        [UP, UP, UP, "3、有工作总结。", "1", "", "", UP],
        [
            "2",
            "配合省局开展2010年度计量认证专项监督检查;做好辖区内CCC认证获证企业的质量档案建立和巡查监管工作及执法检查。\n(5分)",
            "加强对CCC强制性认证产品的执法监管。",
            "1、有对CCC认证产品执法监管工作记录;",
            "1",
            "",
            "",
            "",
        ],
        [UP, UP, UP, "2、有执法检查相关工作材料;", "2", "", "", ""],
        [UP, UP, UP, "3、有工作总结。", "2", "", "", ""],
        [
            "3",
            "按时完成州委、州政府和省局交办的其他工作任务。",
            "实验室整顿工作",
            "1、有工作安排文件,分工明确、责任明确;",
            "",
            "",
            "",
            "该项工作涉及全局其他部门的工作,科室不确定分值",
        ],
        [UP, UP, UP, "2、按时完成各阶段整顿工作任务,有整改措施并落实,整改有成效,", "", "", "", UP],
        [UP, UP, UP, "3、有工作总结,并通过验收。", "", "", "", UP],
    ],
)

T3 = Table(
    "(三)、执法打假工作",
    ["序号", "目标内容", "目标绩效", "分值", "完成时间", "目标考核内容细化", "扣分原则", "扣分理由", "评分"],
    [
        [
            "1",
            "落实辖区打假责任制,抓好专项执法工作,巩固专项整治成果。",
            "认真落实辖区打假责任制,确保产品质量安全。\n按照上级部署,开展好农资、建材等专项执法工作。",
            "30",
            "12月",
            "有专项整治工作汇总资料。",
            "无各类专项执法工作汇总资料的,每项扣5分,扣完为止。",
            "",
            "",
        ],
        [
            "2",
            "加强执法管理,提高执法水平。",
            "加强对执法队伍的管理,加强对执法稽查人员的培训,不断提高执法人员素质;",
            "10",
            "12月",
            "采取会议培训、外出学习等措施,做好执法人员培训工作,提高执法人员素质;",
            "未开展执法人员培训或学习、培训无记录不得分;",
            "",
            "",
        ],
        [
            "3",
            "做好案件交办工作。",
            "及时处理各类质量投诉、举报及上级交办的案件,做到件件有落实。",
            "10",
            "12月",
            "对交办案件及举报、投诉线索有记录、有结果。",
            "交办案件及举报线索无记录、结果的不得分。",
            "",
            "",
        ],
        [
            "4",
            "坚持依法行政,做好行政案件办理工作",
            "1、所办案件完整、规范;\n2、查处的案件有台帐,达到结案标准的案件结案率达90%以上;\n3、依法受理举报、投诉,有记录、有结果,受理率达95%以上。",
            "20",
            "12月",
            "1、所办案件完整、规范,符合标准要求;\n2、办理的案件有台帐,达到结案标准的案件结案率达90%以上;\n3、受理举报、投诉有记录、有处理结果,受理率达95%以上。",
            "1、自办案件经省局、州局执法评议考核不合格的,本项不得分;2、办理案件无台帐扣2分,达到结案标准案件结案率达不到90%,少一个百分点扣0.1分;",
            "",
            "",
        ],
        [
            "4",
            "坚持依法行政,做好行政案件办理工作",
            "",
            "",
            "",
            "",
            "3、受理举报、投诉无记录扣1分,无处理结果扣0.5分,受理率达不到95%,少一个百分点扣0.1分。",
            "",
            "",
        ],
        [
            "5",
            "加强信息报送、沟通力度",
            "1、按照上级要求,报送有关工作信息;\n2、及时将案件信息向有关部门进行通报。",
            "20",
            "12月",
            "1、按照上级要求,报送相关执法打假工作信息及案件材料;\n2、对需要向系统内有关部门进行通报的案件信息及时进行通报;\n3、对需要向当地政府或其他职能部门通报的工作信息及时进行通报。",
            "1、按照州局执法信息量化考评表分值比例扣除,扣完为止;\n2、未进行通报或无通报记录的扣5分。",
            "",
            "",
        ],
        [
            "6",
            "完成上级组织交办的其他工作任务。",
            "上级交办的其他工作任务做到按期、保质完成。",
            "10",
            "12月",
            "1、交办工作有记录;\n2、完成任务有结果。",
            "1、交办工作无记录扣5分;\n2、完成任务无结果扣5分。",
            "",
            "",
        ],
    ],
)

T4 = Table(
    "(四)、食品安全监管工作",
    ["序号", "目标内容\n及分值", "内容分解", "检查重点及分值", "分值", "扣分理由"],
    [
        [
            "1",
            "加强监管责任制落实",
            "按照《食品安全法》有关规定,进一步细化监管人员食品质量安全监管责任。\n2010年监管区域内不得发生重大食品生产质量安全事故。",
            "查阅文件、资料。\n总分1分,未细化监管责任,扣0.5分;发生重大食品事故,此项不得分",
            "",
            "",
        ],
        [
            "2",
            "完成食品安全动态监管系统建设有关工作",
            "按照省、州局统一部署合理调配资源,完成动态监管调试运行,对2010年纳入动态监管系统监管的企业100%建档。",
            "查看动态监管系统。\n总分1.5分,未100%建档,扣1分;未开展100%检查,扣0.5分,此项由食品科负责评定",
            "",
            "",
        ],
        [
            "3",
            "加强日常监督,严格证后监管,监督企业规范生产行为。\n(总分1.5分)",
            "1、编制本辖区企业年度监督检查计划,报州局备案,并按照总局印发《食品生产加工企业落实质量安全主体责任监督检查规定》的监督检查内容、程序和要求,对企业100%开展监督检查,督促企业落实质量安全主体责任。",
            "查阅文件、资料。\n未制定计划报州局备案,扣0.2分;未100%开展监督检查,扣0.3分",
            "",
            "",
        ],
        [
            UP,
            UP,
            "2、在规定时限内对企业100%实施年检并按时上报。",
            "查阅资料。\n未按时开展年检工作,扣0.2分;未开展年检工作,扣0.5分",
            "",
            "",
        ],
        [UP, UP, "3、督促获证企业持续满足保证食品质量安全的必备条件。", "查阅资料记录。\n无相关记录扣0.5分", "", ""],
        [
            "4",
            "按照州局的统一部署,在本辖区范围内组织开展查处企业无证生产食品行为。",
            "重点查处已获生产许可证,但逾期未换证仍断续生产的行为,并采取有效措施,督促企业按期换证,保证食品生产许可工作有效实施",
            "查阅资料、记录。\n总分1分,无相关记录和总结,扣0.5分;查处案卷不完整,扣0.5分",
            "",
            "",
        ],
        [
            "5",
            "继续深入开展食品安全专项整顿。\n(总分1.5分)",
            "1、以监督检查企业为抓手,监督生产者规范生产使用食品添加剂;加强对生产者落实食品添加剂使用管理主体责任的指导,督促食品生产企业100%建立食品添加剂使用管理制度;加强对生产企业使用食品添加剂计量手段的监管,严厉打击在食品中添加非食用物质和超限量、超范围使用食品添加剂的违法行为。",
            "查阅资料、记录。\n企业未100%建立食品添加剂管理制度,扣0.6分",
            "",
            "",
        ],
        [
            UP,
            UP,
            "2、进一步摸清底数,掌握辖区食品产业发展状况,分析食品行业、生产企业存在的突出问题,明确2010年食品安全专项整顿重点地区、重点企业、重点产品,继续深入组织开展食品安全专项整顿,依法规范食品生产加工企业生产行为。",
            "查阅文件、资料。\n未确定三重方案及名单,扣0.4分;未开展相关整治工作,扣0.5分",
            "",
            "",
        ],
        [
            "6",
            "继续加强对食品生产加工小作坊的监管。\n(总分1.5分)",
            "1、在当地政府的统一领导下,按照职责分工,采取有效措施,加强对小作坊监管,继续督促县城以上城市、乡镇政府所在地和城乡结合部的食品生产加工小作坊实施基本生产条件改造,巩固小作坊基本条件改造成果。\n提高小作坊质量保证能力。",
            "查阅资料、记录。\n未开展相关整治工作,扣0.6分",
            "",
            "",
        ],
        [
            UP,
            UP,
            "2、对纳入监管小作坊要继续实施年度审查,要100%签订承诺书;100%建立必须的质量安全管理制度。",
            "查阅资料、记录。\n未100%签订承诺书,扣0.5分;企业未100%建立质量安全管理制度,扣0.4分",
            "",
            "",
        ],
        [
            "7",
            "加大食品产品质量专项抽查工作力度。\n(总分2分)",
            "1、按照州局统一部署,组织开展本辖区内食品产品质量监督抽查工作。",
            "查阅资料。\n未按规定开展监督抽查工作,扣0.7分",
            "",
            "",
        ],
        [
            UP,
            UP,
            "2、加强监督抽查后处理工作,在规定时限内100%完成整改复查工作。",
            "查阅资料、记录。\n未按时限完成整改复查工作,扣0.7分",
            "",
            "",
        ],
        [
            UP,
            UP,
            "3、每季度向当地政府定期报告本区域食品质量安全监管和质量分析情况,争取地方政府对质监工作的支持。",
            "查阅文件。\n未按规定报送质量情况,扣0.6分",
            "",
            "",
        ],
    ],
)

T5 = Table(
    "(五)特种设备安全监管工作",
    ["序号", "考核内容", "分值", "评分标准", "得分", "扣分原因"],
    [
        [
            "1",
            "切实抓好特种设备安全工作,全年不超过特种设备事故死亡人数控制指标和特大、重大、较大事故控制指标",
            "10",
            "",
            "",
            "",
        ],
        [UP, "1.1全年特种设备事故死亡人数在控制考核指标内;(5分)", UP, "发生事故死亡1人扣5分,扣完为止。", "", ""],
        [
            UP,
            "1.2全年特大、重大、较大事故起数在控制指标内。\n(5分)",
            UP,
            "发生一起较大以上事故扣5分,扣完为止。",
            "",
            "",
        ],
        ["2", "强化目标管理,落实特种设备安全监管责任。", "30", "", "", ""],
        [
            UP,
            "2.1与各特种设备使用单位签订安全责任书,签订率100%。\n(4分)",
            UP,
            "安全责任书签订率达不到100%扣2分。",
            "",
            "",
        ],
        [
            UP,
            "2.2每年向州局和当地政府上报特种设备安全形势分析报告至少一次。\n(6分)",
            UP,
            "未向州局和当地政府上报特种设备安全形势分析报告扣6分。",
            "",
            "",
        ],
        [
            UP,
            "2.3.认真开展重大节日、重要活动前的安全大检查,全年不少于五次。\n(6分)",
            UP,
            "工作安排、工作记录、工作总结缺一项视为少开展检查,每少一次扣2分。",
            "",
            "",
        ],
        [
            UP,
            "2.4根据州局拟定特种设备重点监控单位和重点监控设备实施辖区安全监察,与辖区内重点监控单位签订特种设备安全承诺书,全年对重点监控单位和重点监控设备检查次数不得少于2次。",
            UP,
            "(4分)未与辖区内重点监控单位签订特种设备安全承诺书扣2分,未开展巡查或巡查不够的扣2分。",
            "",
            "",
        ],
        [
            UP,
            "2.5进一步落实使用单位主体责任,督促本县市(区)特种设备使用单位及时报检(检验到期前一个月),辖区内不得存在超期特种设备和检验不合格设备(含气瓶)、不合格安全附件等情况,本县市(区)特种设备检验率100%(含安全附件)。\n(4分)",
            UP,
            "辖区内存在超期使用设备或检验不合格违规使用设备,发现一台扣1分,五台以上扣4分。",
            "",
            "",
        ],
        [
            UP,
            "2.6督促本县市(区)特种设备使用单位作业人员持证上岗,持证率100%。",
            UP,
            "(2分)作业人员持证上岗率不达100%扣2分。",
            "",
            "",
        ],
        [
            UP,
            "2.7督促辖区内特种设备使用单位落实管理机构、管理人员和管理规章制度,完善上墙,并开展特种设备事故救援预案演练。\n(4分)",
            UP,
            "抽查辖区内两家特种设备使用单位,未落实管理机构、管理人员和管理规章制度的扣2分,辖区无一次特种设备应急救援演练扣2分。",
            "",
            "",
        ],
        ["3", "进一步加大宣传教育培训力度", "10", "", "", ""],
        [
            UP,
            "3.1充分利用“3.15”、“六一儿童节”、“安全生产月”专项宣传活动、安全大检查等形式加大特种设备安全法律法规宣传力度。\n(5分)",
            UP,
            "未开展宣传活动扣5分。",
            "",
            "",
        ],
        [UP, "3.2全年至少举办一期特种设备安全知识培训会。\n(5分)", UP, "未举办特种设备安全培训会扣5分。", "", ""],
        ["4", "继续做好信息化网络建设。", "10", "", "", ""],
        [
            UP,
            "4.1各县市(区)质监局要努力做到实施网上特种设备动态监管,分管领导和主管人员必须每月两次上网观察(有记录);提高工作效率,确保数据库的真实、准确、可靠,对新增特种设备要督促注册登记,停用、搬迁报废等设备要及时督促使用单位履行报停、搬迁、报废手续;本县市(区)特种设备注册登记率100%。\n(3分)",
            UP,
            "无分管领导和主管人员每月两次上网观察记录扣1分;辖区特种设备网络数据不真实可靠(含未督促使用单位办理停用、搬迁手续导致数据库不准确)的扣1分;辖区内存在未注册登记特种设备扣1分。",
            "",
            "",
        ],
        [
            UP,
            "4.2按照金质工程要求,将现场检查记录录入网络,录入率100﹪。\n(5分)",
            UP,
            "未录入或未完全录入不得分。",
            "",
            "",
        ],
        [UP, "4.3按时上报报特种设备动态监管报表。\n(2分)", UP, "未按时上报州局要求特种设备动态监管报表扣2分。", "", ""],
        ["5", "做好薄弱环节和重点工程特种设备的安全监察工作", "20", "", "", ""],
        [
            UP,
            "5.1按照省局和州局要求,开展对辖区气瓶充装单位的专项整治工作。\n(10分)",
            UP,
            "无气瓶专项整治工作相关检查记录扣5分,无汇报材料扣5分。",
            "",
            "",
        ],
        [
            UP,
            "5.2继续开展公路、桥梁、电力、化工、冶金等在建重点建设项目特种设备施工、使用等单位开展安全宣传、指导、检查工作。\n(10分)",
            UP,
            "未对辖区在建重点建设项目开展宣传扣5分、未开展检查工作扣5分。",
            "",
            "",
        ],
        ["6", "继续开展特种设备节能降耗工作", "10", "", "", ""],
        [
            UP,
            "督促辖区司炉人员参加州局组织的节能知识培训,参训率100%。\n(10分)",
            UP,
            "未督促辖区司炉人员参加州局组织的节能知识培训扣5分,参训率不足100%扣2分。",
            "",
            "",
        ],
        ["7", "认真完成省局安排布置的其他工作", "10", "", "", ""],
        [
            UP,
            "7.1根据《关于印发〈贵州省继续深入开展打击特种设备安全生产非法违法行为专项行动实施方案〉的通知》要求,扎实开展工作。\n(5分)",
            UP,
            "查工作部署、开展记录、信息报送、工作总结等,缺1项扣1分。",
            "",
            "",
        ],
        [
            UP,
            "7.2根据《关于进一步加强电梯安全管理工作的通知》的要求,扎实开展工作。\n(3分)",
            UP,
            "查工作部署、开展记录、工作总结,缺1项扣1分。",
            "",
            "",
        ],
        [
            UP,
            "7.3认真对待州局各项安全工作(临时安排、电话布置、文字督办、各项报表和汇报材料),按时完成并予工作回复。",
            UP,
            "对州局临时布置工作未落实扣2分;对州局督办工作未落实扣3分;对例会提出要求未落实扣3分;未按时上报各项工作材料或报表扣2分(以州局特种设备科提供材料为准)。",
            "",
            "",
        ],
    ],
)

T6 = Table(
    "(六)、财务管理工作",
    ["序号", "考核内容", "评分标准", "分值", "评分", "扣分原因"],
    [
        [
            "1",
            "加强财务管理,认真做好科技项目及\n技术装备计划管理",
            "有完善的财务管理制度,会计、出纳、票据管理人员定员定岗。",
            "2.5分",
            "",
            "",
        ],
        [UP, UP, "按时报送财务报表、固定资产明细表及相关表格,财务数据真实、有效。", "2.5分", "", ""],
    ],
)

T7 = Table(
    "(七)、质量监管工作",
    ["序号", "目标内容", "目标绩效", "分值", "目标考核内容细化", "分值", "扣分原则", "评分", "扣分理由"],
    [
        [
            "1",
            "组织完成质检机构监督管理、机动车安检机构监督管理工作。",
            "完成州局和本辖区政府部署的产品质量监督管理工作\n"
            "1、对定期监督检验和省级监督抽查不合格产品企业后处理工作落实到位。\n"
            "及时下达整改通知;对不合格产品企业整改措施进行审查;企业有落实整改措施实施情况的报告、有整改完成后提出的复查申请;及时安排复查,有不合格产品复查合格检验报告;分上、下半年不合格企业后处理工作总结上报省局。\n"
            "按季度完成向当地政府报送产品质量状况分析报告工作。\n"
            "2、对辖区内质检机构和机动车安检机构的监督管理工作落实到位。\n"
            "对辖区内质检机构和机动车安检机构每年应安排不少于一次的监督检查,有检查记录,年末将工作情况报告上报州局。\n"
            "3、做好辖区内新建安检机构的规划设置工作,按时报送2010年辖区内新建安检机构设置规划。",
            "10",
            "1、对定期监督检验和省级监督抽查不合格产品企业:\n"
            "及时下达整改通知书;\n"
            "对企业整改措施的审查工作有据可查;\n"
            "企业有落实整改措施实施情况的报告、有整改完成后提出的复查申请;\n"
            "复查工作有据可查,有不合格产品复查不合格检验报告;\n"
            "上报州局的工作总结有资料;\n"
            "有向当地政府报送产品质量状况分析的报告。",
            "5",
            "1、没有下达整改通知书扣0.3分;\n"
            "没有审查工作的资料扣0.3分;\n"
            "不能提供企业落实整改措施实施情况的报告和复查申请各扣0.1-0.5分;\n"
            "没有复查工作的资料扣0.1-1分,没有不合格产品复查合格检验报告扣0.1-1分;\n"
            "不能提供上报州局的工作总结和向当地政府报送产品质量状况分析的报告各扣0.1-0.5分。",
            "",
            "",
        ],
        [
            UP,
            UP,
            UP,
            UP,
            "2、对辖区内质检机构和机动车安检机构的监督管理工作有据可查,提供监督检查的相关资料,提供年末的工作情况报告。",
            "3",
            "2、不能提供监督管理工作的相关资料扣1-2分;没有年末工作情况报告扣1分。",
            "",
            "",
        ],
        [
            UP,
            UP,
            UP,
            UP,
            "3、查看2010年辖区内新建安检机构设置规划材料。",
            "2",
            "3、没有2010年辖区内新建安检机构设置规划材料扣0.1-2分。",
            "",
            "",
        ],
        [
            "2",
            "组织对本地区省级名牌产品的申报和监督管理,按州局的布暑和要求完成“质量月”活动。",
            "按照有关法律、法规、规章的规定和国家局、省局和州局的安排完成对获得生产许可证企业的监管和对无证生产的查处并及时上报到州局。\n"
            "1、完成本地区名牌产品培育申报和监管工作。\n"
            "2、制定好本地区名牌发展的工作计划,充分调动企业积极性,支持和培育本地区产品质量稳定、经济效益好、在同行业中领先的企业创名牌;按照州局部署和要求开展好“质量月”宣传活动。\n"
            "3、完成对辖区内获得生产许可证企业的监管和对无证生产的查处及上报工作;\n"
            "4、按照国家有关法律、法规的规定和上级的安排,对辖区内获得生产许可证的企业开展监督检查等监督管理工作,对辖区内无证企业按有关法规要求进行查处,并将有关工作情况及时上报州局。\n"
            "5、做到事前有组织实施计划、事中有相关工作记录、事后有总结。",
            "10",
            "1、查看本地区名牌产品培育申报和监管工作相关资料。",
            "2",
            "1、无本地区名牌产品培育申报和监管工作相关资料扣0.1-2分。",
            "",
            "",
        ],
        [
            UP,
            UP,
            UP,
            UP,
            "2、查看本地区名牌发展工作计划、“质量月”宣传活动工作有所可查。",
            "3",
            "未制定本地区名牌发展工作计划扣0.1-1分;无“质量月”宣传活动工作的相关工作资料扣0.5-2分。",
            "",
            "",
        ],
        [
            UP,
            UP,
            UP,
            UP,
            "3、对辖区内获得生产许可证企业的监管有据可查,提供对无证生产企业查处的相关资料,并及时上报。",
            "3",
            "2、提供对辖区内获得生产许可证企业的监管工作的相关资料,提供对无证生产企业查处的相关资料,上报工作有记录,缺一项扣1分。",
            "",
            "",
        ],
        [
            UP,
            UP,
            UP,
            UP,
            "4、对辖区内获得生产许可证的企业开展的监督检查等监督管理工作和对辖区内无证企业的查处工作有据可查,并及时上报州局。",
            "2",
            "3、检查实施计划、相关记录、处理结果和总结材料,缺一项扣0.5分。",
            "",
            "",
        ],
        [
            "3",
            "按时完成州局和当地党委、政府交办的其他工作任务。",
            "按州局和当地党委和政府要求,按时保质保量完成,有据可查。",
            "2",
            "交办的其他工作有记录、有安排,完成任务有记录或总结。",
            "2",
            "未按时、保质完成上级交办的任务扣0.5分/次。",
            "",
            "",
        ],
    ],
)

T8 = Table(
    "(八)计量节能工作",
    ["序号", "目标内容", "目标绩效", "分值", "目标考核内容细化", "分值", "扣分原则", "评分", "扣分理由"],
    [
        [
            "1",
            "加强能源计量和民生计量工作",
            "1、督促年综合耗能5千吨以上企业,依据《用能单位能源计量器具配备和管理通则》GB17167-2006及相关行业标准要求配备计量器具,建立能源计量管理体系,开展对耗能企业能源计量工作监督检查。\n"
            "2、深化民生计量工作,健全长效机制。\n"
            "在集贸市场、加油站等场所,推进诚信计量体系建设。",
            "6",
            "1、督促年综合耗能5千吨以上企业配备计量器具,建立能源计量管理体系,开展对耗能企业能源计量工作监督检查工作有据可查,与能耗企业签订责任状。",
            "3",
            "1、相关督促及监督检查工作无据可查,无责任状扣0.1-3分。",
            "",
            "",
        ],
        [
            UP,
            UP,
            UP,
            UP,
            "2、在集贸市场、加油站等场所,推进诚信计量体系建设工作有据可查。",
            "3",
            "2、相关工作无据可查扣0.1-3分。",
            "",
            "",
        ],
    ],
)

T9 = Table(
    "(九)、依法行政工作",
    ["考核\n内容", "分值", "评分标准", "得分", "扣分原因"],
    [
        [
            "开展执法评议考核,提高依法行政水平。",
            "1.5分",
            "对本局执法机构实施行政执法评议考核:\n有检查方案0.5分,考核有记录0.5分,有总结0.5分;",
            "",
            "",
        ],
        [UP, "0.5分", "开展行政处罚案卷评查:\n按通知要求实施评查,评查有通报0.5分;", "", ""],
        [
            UP,
            "1分",
            "无执法过错:\n①行政复议无被撤销案件0.4分;②行政诉讼无败诉案件0.3分;③行政执法无被追究过错责任情况0.3分;",
            "",
            "",
        ],
        [
            UP,
            "1分",
            "落实法制报告备案制度:\n①行政复议、诉讼案件及重大案件及时报备0.3分;②法制季度报表按要求的内容及时上报0.3分;③需上一级审批的案件及时报批0.2分;④规范性文件按要求报备0.2分;",
            "",
            "",
        ],
    ],
)

TABLES = [T1, T2, T3, T4, T5, T6, T7, T8, T9]


#: A two-row table that imports cleanly: the tests of messy and damaged files change it.
TWO_ROWS = Table(
    "一、测试表",
    ["序号", "目标内容", "考核标准", "分值", "完成月份"],
    [
        ["1", "报送信息", "未按时报送的，每次扣0.1分。", "2", "12"],
        ["2", "开展检查", "少于4次,缺1次扣0.2分。", "1", "6"],
    ],
)


def rezipped(source: Path, out: Path, part: str, edits: list[tuple[bytes, bytes]]) -> Path:
    """`source` with each (old, new) of `edits` made once in `part`: what Office writes and
    python-docx or openpyxl cannot (tracked changes, zero heights, hidden text)."""
    import zipfile

    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == part:
                for old, new in edits:
                    assert old in data, old
                    data = data.replace(old, new, 1)
            zout.writestr(item.filename, data)
    return out


def write_docx(path: Path, tables: list[Table] = TABLES, title: list[str] = TITLE) -> Path:
    """A Word document: the title paragraphs, then per table its heading, the table and its notes."""
    import docx

    document = docx.Document()
    for line in title:
        document.add_paragraph(line)
    for table in tables:
        document.add_paragraph(table.heading)
        grid = [table.header, *table.rows]
        width = len(table.header)
        word = document.add_table(rows=len(grid), cols=width)
        word.style = "Table Grid"
        for r, row in enumerate(grid):
            for c, value in enumerate(row):
                if value is UP or value is LEFT:
                    continue
                cell = word.cell(r, c)
                lines = str(value).split("\n")
                cell.paragraphs[0].text = lines[0]
                for line in lines[1:]:
                    cell.add_paragraph(line)
        for r, row in enumerate(grid):  # merge after filling: python-docx joins the texts of merged cells
            for c, value in enumerate(row):
                if value is UP:
                    top = r - 1
                    while grid[top][c] is UP:
                        top -= 1
                    word.cell(top, c).merge(word.cell(r, c))
                elif value is LEFT:
                    left = c - 1
                    while grid[r][left] is LEFT:
                        left -= 1
                    word.cell(r, left).merge(word.cell(r, c))
        for note in table.notes:
            document.add_paragraph(note)
    document.save(str(path))
    return path


def write_xlsx(path: Path, tables: list[Table] = TABLES, title: list[str] = TITLE) -> Path:
    """A workbook with one worksheet per table: its heading in a merged first row, then header and rows."""
    import openpyxl

    book = openpyxl.Workbook()
    book.remove(book.active)
    for n, table in enumerate(tables):
        sheet = book.create_sheet(f"表{n + 1}")
        row = 1
        if n == 0:
            for line in title:
                sheet.cell(row, 1, line)
                row += 1
        width = len(table.header)
        sheet.cell(row, 1, table.heading)
        sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)
        row += 1
        top = row
        for r, values in enumerate([table.header, *table.rows]):
            for c, value in enumerate(values):
                if value is UP or value is LEFT or value == "":
                    continue
                sheet.cell(top + r, c + 1, _cell_value(str(value)))
        grid = [table.header, *table.rows]
        for r, values in enumerate(grid):
            for c, value in enumerate(values):
                if value is UP and (r + 1 == len(grid) or grid[r + 1][c] is not UP):
                    first = r - 1
                    while grid[first][c] is UP:
                        first -= 1
                    sheet.merge_cells(start_row=top + first, start_column=c + 1, end_row=top + r, end_column=c + 1)
        row = top + len(grid)
        for note in table.notes:
            sheet.cell(row, 1, note)
            row += 1
    book.save(str(path))
    return path


def _cell_value(text: str) -> object:
    """Bare numbers are typed as numbers, as a clerk's spreadsheet has them (10, 0.3); the rest is text."""
    try:
        number = float(text)
    except ValueError:
        return text
    return int(number) if number.is_integer() and "." not in text else number


# -- comparison with the shipped transcription -------------------------------------------------


def signature(rule: object) -> tuple:
    """What "the same rule" means for the match rate: the kind and the amounts it deducts or awards.

    Ids, texts, names, caps and missing-figure amounts are the transcriber's and are not compared;
    a ×1 severity is the same as none.
    """
    kind = rule.kind
    if kind == "checklist":
        return (kind, tuple(sorted(i.amount if i.amount is not None else rule.amount for i in rule.items)))
    if kind == "count":
        return (kind, rule.required, rule.amount, tuple(s.required for s in rule.of_which))
    if kind == "threshold":
        return (kind, rule.threshold, rule.amount, rule.step)
    if kind == "incident":
        grades = tuple(sorted(rule.grades.values()))
        severities = tuple(sorted(v for v in rule.severities.values() if v != 1))
        return (kind, rule.amount, grades, severities)
    if kind == "stepped":
        return (kind, rule.amount, tuple((s.at, s.amount) for s in rule.steps))
    if kind == "fixed":
        items = tuple(sorted(i.amount if i.amount is not None else rule.amount for i in rule.items))
        return (kind, items or (rule.amount,), rule.exclusive)
    if kind == "late":
        return (kind, rule.amount)
    if kind == "range":
        return (kind, rule.min, rule.max)
    if kind == "award":
        return (kind, rule.max)
    return (kind,)


def words(text: str) -> str:
    """A row's text as compared with the shipped transcription: without whitespace (the transcription
    joins paragraphs on one line) and without the sub-item points "(5分)" it moves between columns."""
    import re

    from generator.imports.text import narrow

    return re.sub(r"\(\d+(?:\.\d+)?分\)", "", re.sub(r"\s+", "", narrow(text)))


def row_words(indicator: object) -> list[str]:
    """The row's sentences and lines, in any order: a transcription may put a cell's lines in two fields
    (四's 检查重点 in `standard`, its deductions in `principle`) where the import keeps them together."""
    import re

    text = "\n".join((indicator.title, indicator.target, indicator.standard, indicator.principle))
    return sorted(w for w in (words(s) for s in re.split(r"[。;；\n]", text)) if w)


@dataclass
class Miss:
    seq: str  # "三.1"
    rule: str  # the shipped rule's kind and text
    proposed: str  # what the import proposed for the row


@dataclass
class Comparison:
    matched: int
    total: int
    misses: list[Miss]
    text_differences: list[str]  # shipped indicator ids whose words differ from the import's

    @property
    def rate(self) -> float:
        return self.matched / self.total


CN = "一二三四五六七八九"


def compare(imported: object, shipped: object) -> Comparison:
    """Pair categories and indicators by position and match each shipped rule to a proposal."""
    matched = total = 0
    misses: list[Miss] = []
    differ: list[str] = []
    for n, (a, b) in enumerate(zip(imported.categories, shipped.categories, strict=True)):
        for x, y in zip(a.indicators, b.indicators, strict=True):
            if row_words(x) != row_words(y):
                differ.append(y.id)
            pool = [signature(r) for r in x.rule]
            missed = []
            for rule in y.rule:
                total += 1
                if signature(rule) in pool:
                    pool.remove(signature(rule))
                    matched += 1
                else:
                    missed.append(rule)
            left = [r for r in x.rule if signature(r) in pool]
            for rule in missed:
                proposed = "; ".join(f"{_describe(r)}：{_one_line(r.text)}" for r in left) or "—"
                misses.append(Miss(f"{CN[n]}.{y.seq}", f"{_describe(rule)}：{_one_line(rule.text)}", proposed))
    return Comparison(matched, total, misses, differ)


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _describe(rule: object) -> str:
    """`checklist` 5+5, `count` 2×2, `threshold` 100 (2 per 100), `fixed` 5 …"""
    sig = signature(rule)
    kind = sig[0]
    if kind == "checklist":
        amounts = "+".join(str(a) for a in sig[1])
    elif kind == "count":
        amounts = f"{sig[1]}×{sig[2]}" + "".join(f"（其中{n}）" for n in sig[3])
    elif kind == "fixed":
        amounts = ("/" if sig[2] else "+").join(str(a) for a in sig[1])
    elif kind == "threshold":
        amounts = f"{sig[1]} ({sig[2]} per {sig[3]})"
    else:
        amounts = " ".join(str(a) for a in sig[1:] if a not in (None, ()))
    return f"`{kind}` {amounts}".strip()


#: Header labels of the fixture's columns that hold a row's wording (the rest: numbers and marks).
TEXT_COLUMNS = {"目标计划内容", "绩效考核标准", "目标名称", "目标内容", "考核要点", "目标绩效", "目标考核内容细化"}
TEXT_COLUMNS |= {"扣分原则", "目标内容\n及分值", "内容分解", "检查重点及分值", "考核内容", "评分标准", "考核\n内容"}


def document_rows(table: Table) -> list[list[str]]:
    """Per indicator, the texts of its cells as printed, each once, in reading order (row by row).

    A row starts an indicator when it has a 序号 of its own different from the one before; in a
    table without 序号 every row does, and a cell merged down into it counts for it too.
    """
    seq = table.header.index("序号") if "序号" in table.header else None
    columns = [c for c, label in enumerate(table.header) if label in TEXT_COLUMNS]
    groups: list[list[str]] = []
    current = None
    for r, row in enumerate(table.rows):
        starts = seq is None or (isinstance(row[seq], str) and row[seq] and row[seq] != current)
        if starts:
            groups.append([])
            current = row[seq] if seq is not None else None
        for c in columns:
            value = row[c]
            if value is UP and starts and seq is None:
                above = r - 1
                while table.rows[above][c] is UP:
                    above -= 1
                value = table.rows[above][c]
            if isinstance(value, str) and value and value not in groups[-1]:
                groups[-1].append(value)
    return groups


def report_block(result: Comparison) -> str:
    """The match-rate report in docs/import-2010.md (one source format; Word and Excel give the same)."""
    lines = [
        f"Rules in the shipped framework: **{result.total}**; proposed by the import with the same kind and "
        f"amounts: **{result.matched}** (**{result.rate:.1%}**).",
        "",
        "| row | shipped rule | proposed instead |",
        "|---|---|---|",
    ]
    for miss in result.misses:
        lines.append(f"| {miss.seq} | {miss.rule} | {miss.proposed} |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":  # rewrite the generated part of docs/import-2010.md
    import sys
    import tempfile

    from generator.cli import main
    from generator.load import load_repository
    from generator.problems import Problems
    from generator.tree import FsTree

    root = Path(__file__).resolve().parent.parent
    with tempfile.TemporaryDirectory() as tmp:
        source = write_docx(Path(tmp) / "2010.docx")
        (Path(tmp) / "repo").mkdir()
        assert main(["import", "framework", str(source), "--id", "q2010", "--repo", f"{tmp}/repo"]) == 0
        frameworks = {}
        for where, fid in ((Path(tmp) / "repo", "q2010"), (root, "qianxinan-qts-2010")):
            frameworks[fid] = load_repository(FsTree(where), Problems()).frameworks[fid]
        block = report_block(compare(frameworks["q2010"], frameworks["qianxinan-qts-2010"]))
    page = root / "docs" / "import-2010.md"
    text = page.read_text(encoding="utf-8")
    start, end = "<!-- report: start -->\n", "<!-- report: end -->"
    head, _, rest = text.partition(start)
    _, _, tail = rest.partition(end)
    page.write_text(head + start + block + end + tail, encoding="utf-8")
    sys.stdout.write(block)
